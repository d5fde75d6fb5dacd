import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/** The font every chart and labelled image is drawn with. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

export interface FontSetup {
  /** Font files handed to resvg (regular and bold). Empty when falling back to a system scan. */
  fontFiles: string[];
  /** Where the files came from: the `dejavu-fonts-ttf` package, a system font directory, or a scan. */
  source: 'package' | 'system' | 'system-scan';
}

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
const SYSTEM_FONT_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
  '/usr/local/share/fonts',
  '/Library/Fonts',
];

let cachedFonts: FontSetup | undefined;

/**
 * Finds the chart font without any download: the TrueType files shipped by the `dejavu-fonts-ttf`
 * dependency first (same glyphs on every machine, so PNGs are reproducible), then a system DejaVu
 * install, and only then a scan of all system fonts.
 */
export function fontSetup(): FontSetup {
  if (cachedFonts) return cachedFonts;
  const candidates: { dir: string; source: FontSetup['source'] }[] = [];
  try {
    const require = createRequire(import.meta.url);
    candidates.push({ dir: join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'), source: 'package' });
  } catch {
    // package absent: fall through to system fonts
  }
  for (const dir of SYSTEM_FONT_DIRS) candidates.push({ dir, source: 'system' });
  for (const { dir, source } of candidates) {
    const files = FONT_FILES.map((f) => join(dir, f)).filter((f) => existsSync(f));
    if (files.length > 0 && files[0].endsWith(FONT_FILES[0])) {
      cachedFonts = { fontFiles: files, source };
      return cachedFonts;
    }
  }
  cachedFonts = { fontFiles: [], source: 'system-scan' };
  return cachedFonts;
}

export interface RasterImage {
  /** PNG file bytes. */
  png: Buffer;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
}

export interface SvgToPngOptions {
  /** Pixels per SVG unit (2 gives sharp text on high-density screens and in documents). Default 2. */
  scale?: number;
  /** CSS colour behind transparent areas. Default white. */
  background?: string;
}

/** Rasterises an SVG document with resvg, using the chart font. */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): RasterImage {
  const fonts = fontSetup();
  const scanSystem = fonts.fontFiles.length === 0;
  const resvg = new Resvg(svg, {
    background: options.background ?? 'white',
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      loadSystemFonts: scanSystem,
      fontFiles: fonts.fontFiles,
      ...(scanSystem ? {} : { defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY }),
    },
    logLevel: 'off',
  });
  const rendered = resvg.render();
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height };
}

/** Escapes text for use inside SVG markup. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
