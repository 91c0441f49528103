// The wasm backend copies a tensor's whole buffer in Identity, and in a Cast to the dtype it
// already has. The engine clones every tensor it saves for the backward pass (about 300 a nano
// training step), and the gradients of mul and square cast float32 to float32, so those copies
// cost a tenth of a step. TF.js never writes into a tensor's buffer once made, and wasm's own
// Reshape already shares buffers by counting references; these kernels do the same.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

interface CountsReferences {
  incRef(dataId: tf.DataId): void;
}

function shared(x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  (backend as CountsReferences).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function replace(kernelName: string, kernelFunc: (copying: tf.KernelFunc) => tf.KernelFunc): void {
  const copying = tf.getKernel(kernelName, 'wasm');
  if (!copying) throw new Error(`the wasm backend has no ${kernelName} kernel to replace`);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...copying, kernelFunc: kernelFunc(copying.kernelFunc) });
}

replace('Identity', (copying) => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  return x.dtype === 'string' ? copying(args) : shared(x, args.backend);
});

replace('Cast', (copying) => (args) => {
  const x = args.inputs.x as tf.TensorInfo;
  return x.dtype === (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype ? shared(x, args.backend) : copying(args);
});
