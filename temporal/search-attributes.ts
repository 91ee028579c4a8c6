import type { SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../src/shared/search-attributes';

/** A custom search attribute as the server sees it: its name and its SDK type. */
export interface SearchAttributeSpec {
  /** Search attribute name, e.g. `OffloadTaskType`. */
  name: string;
  /** SDK type, e.g. `KEYWORD`. */
  type: SearchAttributeType;
}

/** Type names the Temporal CLI accepts in `--search-attribute Name=Type`. */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** The project's custom search attributes (from `src/shared/search-attributes.ts`). */
export function projectSearchAttributes(): SearchAttributeSpec[] {
  return SEARCH_ATTRIBUTE_KEYS.map((key) => ({ name: key.name, type: key.type }));
}

/** CLI type name for an SDK search attribute type (`KEYWORD_LIST` -> `KeywordList`). */
export function cliTypeName(type: SearchAttributeType): string {
  return CLI_TYPE_NAMES[type];
}

/** The server's numeric `IndexedValueType` for an SDK search attribute type. */
export function indexedValueType(type: SearchAttributeType): number {
  const encoded = encodeSearchAttributeIndexedValueType(type);
  if (encoded === undefined) throw new Error(`Unknown search attribute type ${type}`);
  return encoded;
}

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export function searchAttributeCliArgs(specs: SearchAttributeSpec[] = projectSearchAttributes()): string[] {
  return specs.flatMap((spec) => ['--search-attribute', `${spec.name}=${cliTypeName(spec.type)}`]);
}

/** What is wrong with a namespace's registered custom search attributes, compared to `wanted`. */
export interface SearchAttributeDiff {
  /** Attributes not registered at all. */
  missing: SearchAttributeSpec[];
  /** Attributes registered under the right name but with another type. */
  conflicting: Array<SearchAttributeSpec & { registeredType: number }>;
}

/**
 * Compares the `customAttributes` map of `listSearchAttributes` (name -> IndexedValueType) with
 * the attributes the project needs.
 */
export function diffSearchAttributes(
  registered: Record<string, number | null | undefined> | null | undefined,
  wanted: SearchAttributeSpec[] = projectSearchAttributes(),
): SearchAttributeDiff {
  const diff: SearchAttributeDiff = { missing: [], conflicting: [] };
  for (const spec of wanted) {
    const actual = registered?.[spec.name];
    if (actual === undefined || actual === null) diff.missing.push(spec);
    else if (actual !== indexedValueType(spec.type)) diff.conflicting.push({ ...spec, registeredType: actual });
  }
  return diff;
}
