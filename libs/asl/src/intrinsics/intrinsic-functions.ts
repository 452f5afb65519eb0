import { statesArrayContains } from './functions/states-array-contains.intrinsic';
import { statesArrayGetItem } from './functions/states-array-get-item.intrinsic';
import { statesArrayLength } from './functions/states-array-length.intrinsic';
import { statesArrayPartition } from './functions/states-array-partition.intrinsic';
import { statesArrayRange } from './functions/states-array-range.intrinsic';
import { statesArrayUnique } from './functions/states-array-unique.intrinsic';
import { statesArray } from './functions/states-array.intrinsic';
import { statesBase64Decode } from './functions/states-base64-decode.intrinsic';
import { statesBase64Encode } from './functions/states-base64-encode.intrinsic';
import { statesFormat } from './functions/states-format.intrinsic';
import { statesHash } from './functions/states-hash.intrinsic';
import { statesJsonMerge } from './functions/states-json-merge.intrinsic';
import { statesJsonToString } from './functions/states-json-to-string.intrinsic';
import { statesMathAdd } from './functions/states-math-add.intrinsic';
import { statesMathRandom } from './functions/states-math-random.intrinsic';
import { statesStringSplit } from './functions/states-string-split.intrinsic';
import { statesStringToJson } from './functions/states-string-to-json.intrinsic';
import { statesUuid } from './functions/states-uuid.intrinsic';
import type { IntrinsicFunctionDefinition } from './intrinsic-function';

/** The 18 intrinsic functions of Step Functions' JSONPath mode, by name. */
export const INTRINSIC_FUNCTIONS: ReadonlyMap<string, IntrinsicFunctionDefinition> = new Map(
  [
    statesFormat,
    statesStringToJson,
    statesJsonToString,
    statesArray,
    statesArrayPartition,
    statesArrayContains,
    statesArrayRange,
    statesArrayGetItem,
    statesArrayLength,
    statesArrayUnique,
    statesBase64Encode,
    statesBase64Decode,
    statesHash,
    statesJsonMerge,
    statesMathRandom,
    statesMathAdd,
    statesStringSplit,
    statesUuid,
  ].map((definition) => [definition.name, definition]),
);

/** The declaration of the intrinsic called `name`, or undefined for a name Step Functions does not define. */
export function findIntrinsicFunction(name: string): IntrinsicFunctionDefinition | undefined {
  return INTRINSIC_FUNCTIONS.get(name);
}
