/**
 * Checks that `text` is a well-formed XML document with a single root element named `root`: balanced and properly
 * nested tags, quoted attributes, no raw `<` or stray `&` in text. Throws an Error naming the first problem.
 * Returns the number of elements (a test-only stand-in for an XML parser, which Node lacks).
 */
export function assertWellFormedXml(text: string, root: string): number {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let elements = 0;
  let roots = 0;
  let last = 0;
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  const checkText = (chunk: string, at: number): void => {
    if (/[<>]/.test(chunk)) throw new Error(`malformed markup near offset ${at}: ${JSON.stringify(chunk.slice(0, 60))}`);
    if (/&(?!(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);)/.test(chunk)) throw new Error(`stray '&' near offset ${at}`);
    if (stack.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root element at offset ${at}`);
  };
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    checkText(body.slice(last, m.index), last);
    last = m.index + m[0].length;
    const [, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    for (const a of attrs.matchAll(/&[^;"]*(?:;|")/g)) {
      if (!/^&(?:#\d+|amp|lt|gt|quot|apos);$/.test(a[0])) throw new Error(`stray '&' in the attributes of <${name}>`);
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    if (stack.length === 0) {
      roots++;
      if (name !== root) throw new Error(`root element is <${name}>, expected <${root}>`);
    }
    elements++;
    if (!selfClosing) stack.push(name);
  }
  checkText(body.slice(last), last);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
  return elements;
}
