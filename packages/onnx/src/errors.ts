import { ElmanError } from '@elman/core';

/**
 * Export produced no valid ONNX model: bad options (opset, names, dynamic axes), example inputs the module
 * rejects, or an exporter whose graph disagrees with the module's own forward (a bug the check catches before the
 * file reaches a runtime). The message names the module path, the argument and the shapes.
 */
export class OnnxExportError extends ElmanError {
  /** Class name, shown in stack traces. */
  override name = 'OnnxExportError';
}

/**
 * A module (or one of its options) has no ONNX exporter: the message names the module's path and class and what is
 * missing, e.g. `exportOnnx: no ONNX exporter for module '2' (MyBlock); register one with registerOnnxExporter`.
 */
export class UnsupportedModuleError extends OnnxExportError {
  /** Class name, shown in stack traces. */
  override name = 'UnsupportedModuleError';
}
