// Four wasm kernels without the copies TF.js 4.22 makes in them. Identity, and a Cast to the
// dtype a tensor already has, copy its whole buffer; the engine clones every tensor it saves
// for the backward pass (about 300 a nano training step) and the gradients of mul and square
// cast float32 to float32. Slice (and SplitV, which slices) reads its whole input out of the
// wasm heap before copying the part it keeps: splitting a model's flat parameter vector into
// its tensors copied the vector once per tensor, 6 ms a step. TF.js never writes into a
// tensor's buffer once made, and wasm's own Reshape already shares buffers by counting
// references; Identity and Cast here do the same, and Slice reads its input where it lies.
// Every value is the same as the copying kernels give (nothing is computed, only moved).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

interface WasmHeap {
  dataIdMap: { get(dataId: tf.DataId): unknown };
  incRef(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function shared(x: tf.TensorInfo, backend: WasmHeap): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

// x[begin : begin + size], copied run by run (a run: the innermost dimension's slice).
function slice(x: tf.TensorInfo, begin: number[], size: number[], backend: WasmHeap): tf.TensorInfo {
  backend.dataIdMap.get(x.dataId); // moves x onto wasm if it still lives on another backend
  const out = backend.makeOutput(size, x.dtype);
  // Views are taken after makeOutput, which may grow (and so move) the heap.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  if (to.length === 0) return out;
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const start = tf.slice_util.computeFlatOffset(begin, strides);
    to.set(from.subarray(start, start + to.length));
    return out;
  }
  const run = size[rank - 1];
  const index = new Array(rank - 1).fill(0); // odometer over the outer dimensions of size
  for (let written = 0; written < to.length; written += run) {
    let start = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) start += (begin[d] + index[d]) * strides[d];
    to.set(from.subarray(start, start + run), written);
    for (let d = rank - 2; d >= 0 && ++index[d] === size[d]; d--) index[d] = 0;
  }
  return out;
}

const replaced: Array<{ copying: tf.KernelConfig; lean: tf.KernelConfig }> = [];

function replace(kernelName: string, kernelFunc: (copying: tf.KernelFunc) => tf.KernelFunc): void {
  const copying = tf.getKernel(kernelName, 'wasm');
  if (!copying) throw new Error(`the wasm backend has no ${kernelName} kernel to replace`);
  const lean = { ...copying, kernelFunc: kernelFunc(copying.kernelFunc) };
  replaced.push({ copying, lean });
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel(lean);
}

/** For the benchmark's before and after: TF.js's own copying kernels (true) or these (false). */
export function useCopyingWasmKernels(copying: boolean): void {
  for (const kernel of replaced) {
    tf.unregisterKernel(kernel.lean.kernelName, 'wasm');
    tf.registerKernel(copying ? kernel.copying : kernel.lean);
  }
}

replace('Identity', (copying) => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  return x.dtype === 'string' ? copying(args) : shared(x, args.backend as unknown as WasmHeap);
});

replace('Cast', (copying) => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  return x.dtype === dtype ? shared(x, args.backend as unknown as WasmHeap) : copying(args);
});

replace('Slice', (copying) => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return copying(args);
  const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  return slice(x, b, s, args.backend as unknown as WasmHeap);
});

replace('SplitV', (copying) => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return copying(args);
  const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
  const at = tf.util.parseAxisParam(axis, x.shape)[0];
  const begin = new Array(x.shape.length).fill(0);
  return tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, at).map((part) => {
    const size = [...x.shape];
    size[at] = part;
    const piece = slice(x, [...begin], size, args.backend as unknown as WasmHeap);
    begin[at] += part;
    return piece;
  });
});
