/**
 * Splits the `nodeargs` runtime option into argv words the way the language host does (github.com/google/shlex
 * `Split`, called from pulumi/pulumi@v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go `execRuntime`):
 * words split on whitespace; single quotes keep everything literally; inside double quotes and outside quotes a
 * backslash escapes the next character; a `#` that starts a word comments out the rest of the line.
 */
export function splitNodeArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const escaped = () => text[++i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c === '\\' ? escaped() : c;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      const newline = text.indexOf('\n', i);
      if (newline === -1) break;
      i = newline;
    } else {
      inWord = true;
      if (c === '"' || c === "'") quote = c;
      else word += c === '\\' ? escaped() : c;
    }
  }
  if (quote) throw new Error(`nodeargs: EOF found when expecting closing quote (${quote})`);
  if (inWord) words.push(word);
  return words;
}
