/**
 * The few ONNX protobuf messages needed to write a model file (onnx.proto field numbers), encoded
 * by hand: deterministic bytes, no protobuf library.
 */

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = { float: 1, int64: 7, bool: 9 } as const;
export type OnnxElemType = (typeof OnnxType)[keyof typeof OnnxType];

const enum Wire {
  Varint = 0,
  Fixed32 = 5,
  Bytes = 2,
}

const utf8 = new TextEncoder();

/** One protobuf message under construction: a list of byte chunks (large payloads are kept, not copied). */
export class ProtoMessage {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  get byteLength(): number {
    return this.size;
  }

  varint(field: number, value: number | bigint): this {
    this.key(field, Wire.Varint);
    this.push(encodeVarint(BigInt(value)));
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, Wire.Fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, Wire.Bytes);
    this.push(encodeVarint(BigInt(data.byteLength)));
    this.push(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, message: ProtoMessage): this {
    this.key(field, Wire.Bytes);
    this.push(encodeVarint(BigInt(message.size)));
    for (const part of message.parts) this.push(part);
    return this;
  }

  /** The encoded message as one buffer. */
  encode(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }

  private key(field: number, wire: Wire): void {
    this.push(encodeVarint(BigInt((field << 3) | wire)));
  }

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.byteLength;
  }
}

/** Base-128 varint; negative values as 64-bit two's complement (ten bytes), as protobuf does for int64. */
function encodeVarint(value: bigint): Uint8Array {
  let rest = value < 0n ? (1n << 64n) + value : value;
  const bytes: number[] = [];
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Uint8Array.from(bytes);
}

/** Tensor payload for an initializer or a tensor attribute. */
export type TensorData = { type: 'float'; data: Float32Array } | { type: 'int64'; data: BigInt64Array } | { type: 'bool'; data: Uint8Array };

export function tensorProto(name: string, dims: readonly number[], tensor: TensorData): ProtoMessage {
  const message = new ProtoMessage();
  for (const dim of dims) message.varint(1, dim);
  message.varint(2, OnnxType[tensor.type]);
  message.string(8, name);
  const { data } = tensor;
  message.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return message;
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'tensor'; value: ProtoMessage }
  | { kind: 'graph'; value: ProtoMessage };

const ATTRIBUTE_TYPE = { float: 1, int: 2, tensor: 4, graph: 5, ints: 7 } as const;

function attributeProto(name: string, attribute: AttributeValue): ProtoMessage {
  const message = new ProtoMessage().string(1, name);
  switch (attribute.kind) {
    case 'float':
      message.float(2, attribute.value);
      break;
    case 'int':
      message.varint(3, attribute.value);
      break;
    case 'tensor':
      message.message(5, attribute.value);
      break;
    case 'graph':
      message.message(6, attribute.value);
      break;
    case 'ints':
      for (const value of attribute.value) message.varint(8, value);
      break;
  }
  return message.varint(20, ATTRIBUTE_TYPE[attribute.kind]);
}

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Record<string, AttributeValue>;
}

export function nodeProto(node: NodeSpec): ProtoMessage {
  const message = new ProtoMessage();
  for (const input of node.inputs) message.string(1, input);
  for (const output of node.outputs) message.string(2, output);
  message.string(3, node.name).string(4, node.op);
  for (const [name, value] of Object.entries(node.attributes ?? {})) message.message(5, attributeProto(name, value));
  return message;
}

/** A graph input or output: element type and dims (a string names a symbolic dimension). */
export interface ValueSpec {
  name: string;
  type: OnnxElemType;
  dims?: readonly (number | string)[];
}

export function valueInfoProto(value: ValueSpec): ProtoMessage {
  const tensorType = new ProtoMessage().varint(1, value.type);
  if (value.dims) {
    const shape = new ProtoMessage();
    for (const dim of value.dims) {
      shape.message(1, typeof dim === 'number' ? new ProtoMessage().varint(1, dim) : new ProtoMessage().string(2, dim));
    }
    tensorType.message(2, shape);
  }
  return new ProtoMessage().string(1, value.name).message(2, new ProtoMessage().message(1, tensorType));
}

export interface GraphSpec {
  name: string;
  nodes: readonly ProtoMessage[];
  initializers: readonly ProtoMessage[];
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
}

export function graphProto(graph: GraphSpec): ProtoMessage {
  const message = new ProtoMessage();
  for (const node of graph.nodes) message.message(1, node);
  message.string(2, graph.name);
  for (const initializer of graph.initializers) message.message(5, initializer);
  for (const input of graph.inputs) message.message(11, valueInfoProto(input));
  for (const output of graph.outputs) message.message(12, valueInfoProto(output));
  return message;
}

/** IR version 8 goes with opset 17 (onnx/onnx docs/Versioning.md). */
const IR_VERSION = 8;
export const OPSET = 17;

export function modelProto(graph: ProtoMessage, producer: string): Uint8Array {
  return new ProtoMessage()
    .varint(1, IR_VERSION)
    .string(2, producer)
    .message(7, graph)
    .message(8, new ProtoMessage().string(1, '').varint(2, OPSET))
    .encode();
}
