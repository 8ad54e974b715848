/** Escapes the five XML special characters, for text and attribute values of generated SVG. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Fixed-point with at most `digits` decimals and no trailing zeros: compact SVG coordinates. */
export function fmt(x: number, digits = 1): string {
  return String(Number(x.toFixed(digits)));
}
