import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';

/*
 * PNG export rasterises our own SVG with resvg (a native module from npm, no browser): a CI job
 * for a merge request gets the picture without Chromium. resvg reads CSS classes but not custom
 * properties, so every `var(--name, fallback)` becomes its fallback (the light theme that the
 * SVG carries), and the text is set in DejaVu Sans, shipped with the package, so a slim
 * container without fonts still gets labels.
 */

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

/** Where the fonts are: beside the bundle in the installed package, or the dev dependency in a clone. */
function fontDirectory(): string | undefined {
  // the bundle may be split into chunks one or two folders below the package root
  const candidates = [join(__dirname, 'fonts'), join(__dirname, '..', 'fonts'), join(__dirname, '..', '..', 'fonts')];
  try {
    candidates.push(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // not a clone with devDependencies: the packaged fonts must be there
  }
  return candidates.find((d) => FONT_FILES.every((f) => existsSync(join(d, f))));
}

/** `var(--x, #fff)` → `#fff`, innermost first, so nested fallbacks resolve too. */
function resolveCssVariables(svg: string): string {
  let out = svg;
  for (let i = 0; i < 8; i++) {
    const next = out.replace(/var\(--[\w-]+\s*,\s*([^()]*?)\)/g, '$1');
    if (next === out) break;
    out = next;
  }
  return out;
}

export interface PngResult {
  png?: Buffer;
  /** Why there is no PNG, for the user. */
  error?: string;
}

/** The largest side a PNG may have: beyond it the picture is scaled down (resvg and viewers struggle past 16k). */
const MAX_SIDE = 16000;

export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<PngResult> {
  let Resvg: typeof ResvgClass;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (err) {
    return { error: `PNG export needs the @resvg/resvg-js package, which could not be loaded (${(err as Error).message.split('\n')[0]}); reinstall the CLI, or write --out FILE.svg` };
  }
  const fonts = fontDirectory();
  if (!fonts) return { error: 'PNG export needs the DejaVu Sans fonts that ship with the CLI, which were not found; reinstall the CLI, or write --out FILE.svg' };
  const zoom = Math.min(scale, MAX_SIDE / Math.max(width, 1), MAX_SIDE / Math.max(height, 1));
  const renderer = new Resvg(resolveCssVariables(svg), {
    fitTo: { mode: 'zoom', value: zoom },
    font: { fontFiles: FONT_FILES.map((f) => join(fonts, f)), loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return { png: renderer.render().asPng() };
}
