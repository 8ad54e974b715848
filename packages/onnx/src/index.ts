/**
 * @elman/onnx: export Elman models to ONNX, so onnxruntime serves them natively (Node, browsers, Python, C++,
 * GPUs), and read ONNX initializers back into Elman modules by their PyTorch state-dict names.
 * @packageDocumentation
 */
export { exportOnnx, type ExportOnnxOptions, type DynamicAxes } from './export-onnx.js';
export { importOnnxWeights, type ImportOnnxWeightsOptions } from './import-onnx-weights.js';
export { checkOnnxModel } from './check-model.js';
export { registerOnnxExporter, type OnnxExporter, type OnnxForward, type OnnxForwardOptions, type ModuleClass } from './registry.js';
export { OnnxExportContext } from './export-context.js';
export type { OnnxValue, OnnxValueSpec, OnnxDim, OnnxAttribute } from './graph-builder.js';
export type { OnnxDType } from './tensor-proto.js';
export { OnnxExportError, UnsupportedModuleError } from './errors.js';
export { MIN_OPSET, MAX_OPSET } from './versions.js';
