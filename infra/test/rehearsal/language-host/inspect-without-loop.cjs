// Preloaded (`--require`) into the program's Node process only on a Node with nodejs/node#64011; see
// node-inspect-bug.ts. `util.inspect(error, { colors: true })` loops on a stack frame whose path ends in
// `node_modules/<name>` or `node_modules/@scope/<name>`; for such an error this inspects it without colours,
// which is the same text without ANSI codes. Every other call goes straight through.
const util = require('node:util');

const original = util.inspect;
const loopingFrame = /node_modules[\\/](?:@[^\\/\n]*[\\/])?[^\\/\n]*$/m;

function inspect(value, options, ...rest) {
  if (
    value instanceof Error &&
    typeof value.stack === 'string' &&
    loopingFrame.test(value.stack) &&
    options?.colors === true
  ) {
    return original.call(this, value, { ...options, colors: false }, ...rest);
  }
  return original.call(this, value, options, ...rest);
}

Object.defineProperties(inspect, Object.getOwnPropertyDescriptors(original));
util.inspect = inspect;
