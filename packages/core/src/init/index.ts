/** Weight initializers: each fills a tensor in place (outside the tape) and returns it, as `torch.nn.init`. */
export { type InitOptions, uniform_, normal_ } from './fill.js';
export { constant_, zeros_, ones_, eye_ } from './constant.js';
export { type Nonlinearity, calculateGain, fanInAndFanOut } from './gain.js';
export { type XavierOptions, xavierUniform_, xavierNormal_ } from './xavier.js';
export { type KaimingOptions, kaimingUniform_, kaimingNormal_ } from './kaiming.js';
export { type OrthogonalOptions, orthogonal_ } from './orthogonal.js';
export { rnnDefault_ } from './rnn-default.js';
