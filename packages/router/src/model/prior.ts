import { defaultHashSeed, hashedDimensions } from '../analyze/ngram-hasher.js';
import { denseFeatureNames } from './difficulty-features.js';
import type { DifficultyWeights } from './difficulty-model.js';
import { priorAsset } from './prior-asset.js';

/** The shipped prior as stored: dense weights by name, hashed weights as base64 int8 times a scale. */
export interface PriorAsset {
  version: 1;
  seed: number;
  dimensions: number;
  bias: number;
  dense: Readonly<Record<string, number>>;
  hashedScale: number;
  /** `dimensions` signed bytes, base64. */
  hashed: string;
  /** How the prior was trained: sources, label, settings. */
  trainedOn: readonly string[];
  label: string;
}

let decoded: DifficultyWeights | undefined;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Turns an asset into weights; throws when it was made for other features. */
export function decodePrior(asset: PriorAsset): DifficultyWeights {
  if (asset.dimensions !== hashedDimensions || asset.seed !== defaultHashSeed)
    throw new Error('router prior: built for another hashed feature space; run npm run train:router');
  const bytes = new Int8Array(decodeBase64(asset.hashed).buffer);
  const hashed = new Float32Array(hashedDimensions);
  for (let index = 0; index < hashedDimensions; index++)
    hashed[index] = (bytes[index] ?? 0) * asset.hashedScale;
  const dense = Float64Array.from(denseFeatureNames, (name) => asset.dense[name] ?? 0);
  return { bias: asset.bias, dense, hashed };
}

/** The shipped prior's weights, decoded on first use and kept for the process. */
export function priorWeights(): DifficultyWeights {
  decoded ??= decodePrior(priorAsset);
  return decoded;
}
