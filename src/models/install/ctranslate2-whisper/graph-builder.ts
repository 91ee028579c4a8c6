import {
  graphProto,
  nodeProto,
  tensorProto,
  type AttributeValue,
  type ProtoMessage,
  type TensorData,
  type ValueSpec,
} from './onnx-proto';

/** Builds an ONNX graph node by node; value names are generated unless given. */
export class GraphBuilder {
  private readonly nodes: ProtoMessage[] = [];
  private readonly initializers: ProtoMessage[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  /** `prefix` keeps the names of a subgraph apart from its parent's. */
  constructor(private readonly prefix: string = '') {}

  /** Adds a node and returns its output names (`outputs` given or generated). */
  op(op: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>, outputs: number | readonly string[] = 1): string[] {
    const id = `${this.prefix}${op}_${this.counter++}`;
    const names = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${id}_out${i}`) : [...outputs];
    this.nodes.push(nodeProto({ op, inputs, outputs: names, name: id, attributes }));
    return names;
  }

  /** A node with one output. */
  op1(op: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>, output?: string): string {
    return this.op(op, inputs, attributes, output === undefined ? 1 : [output])[0];
  }

  initializer(name: string, dims: readonly number[], data: TensorData): string {
    this.initializers.push(tensorProto(name, dims, data));
    return name;
  }

  /** An int64 constant (shared between uses); a 0-d scalar when `scalar`. */
  int64(values: readonly number[], scalar = false): string {
    const key = `i64:${scalar}:${values.join(',')}`;
    return this.constant(key, scalar ? [] : [values.length], { type: 'int64', data: BigInt64Array.from(values.map(BigInt)) });
  }

  /** A float32 scalar constant (0-d). */
  float(value: number): string {
    return this.constant(`f32:${value}`, [], { type: 'float', data: Float32Array.of(value) });
  }

  graph(name: string, inputs: readonly ValueSpec[], outputs: readonly ValueSpec[]): ProtoMessage {
    return graphProto({ name, nodes: this.nodes, initializers: this.initializers, inputs, outputs });
  }

  private constant(key: string, dims: number[], data: TensorData): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.initializer(`${this.prefix}const_${this.constants.size}`, dims, data);
    this.constants.set(key, name);
    return name;
  }
}

export const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
export const int = (value: number): AttributeValue => ({ kind: 'int', value });
export const floatAttr = (value: number): AttributeValue => ({ kind: 'float', value });
