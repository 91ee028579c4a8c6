import { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../src/shared/search-attributes';
import {
  cliTypeName,
  diffSearchAttributes,
  indexedValueType,
  projectSearchAttributes,
  searchAttributeCliArgs,
} from '../../../temporal/search-attributes';

describe('search attribute mapping', () => {
  test('every SDK type has a CLI name the Temporal CLI accepts', () => {
    const accepted = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];
    expect(Object.values(SearchAttributeType).map(cliTypeName).sort()).toEqual([...accepted].sort());
  });

  test('IndexedValueType numbers follow the proto enum', () => {
    expect(indexedValueType('TEXT')).toBe(1);
    expect(indexedValueType('KEYWORD')).toBe(2);
    expect(indexedValueType('INT')).toBe(3);
    expect(indexedValueType('BOOL')).toBe(5);
    expect(indexedValueType('KEYWORD_LIST')).toBe(7);
  });

  test('the project list is src/shared/search-attributes.ts', () => {
    expect(projectSearchAttributes()).toEqual(SEARCH_ATTRIBUTE_KEYS.map((k) => ({ name: k.name, type: k.type })));
    expect(searchAttributeCliArgs([{ name: 'OffloadPriority', type: 'INT' }])).toEqual(['--search-attribute', 'OffloadPriority=Int']);
  });

  test('diff finds missing and wrongly typed attributes', () => {
    const wanted = [
      { name: 'A', type: 'KEYWORD' as const },
      { name: 'B', type: 'INT' as const },
      { name: 'C', type: 'BOOL' as const },
    ];
    const diff = diffSearchAttributes({ A: 2, B: 2 }, wanted);
    expect(diff.missing.map((m) => m.name)).toEqual(['C']);
    expect(diff.conflicting).toEqual([{ name: 'B', type: 'INT', registeredType: 2 }]);
    expect(diffSearchAttributes(undefined, wanted).missing).toHaveLength(3);
  });
});
