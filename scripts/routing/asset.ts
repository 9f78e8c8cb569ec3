// Writes a trained model as the prior asset the router ships (int8 hashed weights, base64).
import { writeFileSync } from 'node:fs';
import { defaultHashSeed, denseFeatureNames, hashedDimensions } from '@forge1/router';
import type { TrainedModel } from './trainer.ts';

/** Source text of `prior-asset.ts` for a trained model. */
export function assetSource(model: TrainedModel, trainedOn: readonly string[], label: string): string {
  let largest = 0;
  for (const value of model.hashed) largest = Math.max(largest, Math.abs(value));
  const scale = largest > 0 ? largest / 127 : 0;
  const bytes = new Int8Array(hashedDimensions);
  model.hashed.forEach((value, index) => {
    bytes[index] = scale > 0 ? Math.round(value / scale) : 0;
  });
  const round = (value: number) => Number(value.toPrecision(6));
  const dense = Object.fromEntries(
    denseFeatureNames.map((name, index) => [name, round(model.dense[index]!)]),
  );
  const asset = {
    version: 1,
    seed: defaultHashSeed,
    dimensions: hashedDimensions,
    bias: round(model.bias),
    dense,
    hashedScale: scale,
    hashed: Buffer.from(bytes.buffer).toString('base64'),
    trainedOn,
    label,
  };
  return `// Written by \`npm run train:router\`: do not edit by hand.
import type { PriorAsset } from './prior.js';

/** The shipped difficulty prior (see the model card in the package README). */
export const priorAsset: PriorAsset = ${JSON.stringify(asset, null, 2)};
`;
}

/** Writes the asset file. */
export function writeAsset(path: string, source: string): void {
  writeFileSync(path, source);
}
