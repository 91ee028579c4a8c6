/**
 * Writes small ONNX models (the protobuf wire format of onnx.proto, by hand) so tests can run the
 * real pipelines on graphs with the same inputs and outputs as a real export.
 */

export type OnnxElemType = 'float32' | 'int64' | 'bool';

const DATA_TYPE: Record<OnnxElemType, number> = { float32: 1, int64: 7, bool: 9 };

export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  /** A number for a fixed size, a string for a named dynamic one. */
  shape: (number | string)[];
}

export interface OnnxTensor {
  name?: string;
  type: OnnxElemType;
  dims: number[];
  values: number[];
}

export type OnnxAttribute = number | number[] | { float: number } | { tensor: OnnxTensor };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxGraph {
  name: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: (OnnxTensor & { name: string })[];
  nodes: OnnxNode[];
  /** Default opset 13. */
  opset?: number;
}

class ProtoWriter {
  private readonly parts: number[] = [];

  varint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.rawVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.parts.push(...bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(BigInt(value.length));
    this.parts.push(...value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  private rawVarint(value: bigint): void {
    let rest = value;
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest > 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (rest > 0n);
  }
}

function rawData(tensor: OnnxTensor): Uint8Array {
  if (tensor.type === 'float32') return new Uint8Array(Float32Array.from(tensor.values).buffer);
  if (tensor.type === 'int64') return new Uint8Array(BigInt64Array.from(tensor.values, (v) => BigInt(v)).buffer);
  return Uint8Array.from(tensor.values, (v) => (v ? 1 : 0));
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  for (const dim of tensor.dims) w.varint(1, dim);
  w.varint(2, DATA_TYPE[tensor.type]);
  if (tensor.name) w.string(8, tensor.name);
  w.bytes(9, rawData(tensor));
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.varint(1, DATA_TYPE[info.type]);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) shape.message(1, (d) => (typeof dim === 'number' ? d.varint(1, dim) : d.string(2, dim)));
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, name: string, value: OnnxAttribute): void {
  w.string(1, name);
  if (typeof value === 'number') w.varint(3, value).varint(20, 2);
  else if (Array.isArray(value)) {
    for (const item of value) w.varint(8, item);
    w.varint(20, 7);
  } else if ('float' in value) w.float(2, value.float).varint(20, 1);
  else w.message(5, (t) => writeTensor(t, value.tensor)).varint(20, 4);
}

/** The serialized ModelProto (IR version 7) of `graph`. */
export function onnxModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.varint(1, 7);
  model.string(2, 'offload-tests');
  model.message(7, (g) => {
    graph.nodes.forEach((node, index) =>
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, `${node.op.toLowerCase()}_${index}`);
        n.string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {})) n.message(5, (a) => writeAttribute(a, name, value));
      }),
    );
    g.string(2, graph.name);
    for (const tensor of graph.initializers ?? []) g.message(5, (t) => writeTensor(t, tensor));
    for (const input of graph.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of graph.outputs) g.message(12, (v) => writeValueInfo(v, output));
  });
  model.message(8, (opset) => opset.string(1, '').varint(2, graph.opset ?? 13));
  return model.finish();
}
