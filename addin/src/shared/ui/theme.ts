import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';

/** The three looks Office and Teams ask for. */
export type ThemeName = 'light' | 'dark' | 'contrast';

export function fluentTheme(name: ThemeName): Theme {
  return name === 'dark' ? webDarkTheme : name === 'contrast' ? teamsHighContrastTheme : webLightTheme;
}

/** Windows high contrast (forced colours) wins over whatever the host says. */
export function prefersContrast(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(forced-colors: active)').matches;
}

/** Dark when a background colour (e.g. Office's bodyBackgroundColor, "#1f1f1f") is dark. */
export function isDarkColour(hex: string | undefined | null): boolean {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex ?? '');
  if (!m) return false;
  const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16) / 255);
  // Relative luminance (sRGB, approximate): below the middle grey reads as dark.
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! < 0.5;
}
