/**
 * Runs a long command so that the first Ctrl-C asks it to stop at a checkpoint (through an AbortSignal)
 * and a second one quits at once. A run stopped this way exits 130 with a hint on how to resume.
 */
export async function withInterruptCheckpoint(
  messages: { interrupt: string; stopped: string },
  run: (signal: AbortSignal) => Promise<unknown>,
): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\ninterrupt: ${messages.interrupt} (Ctrl-C again to quit at once)\n`);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  try {
    await run(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write(`stopped; ${messages.stopped}\n`);
      process.exitCode = 130;
      return;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
