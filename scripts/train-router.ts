// Trains the router's difficulty prior from the routing data set, deterministically, on the
// sources whose licence allows shipping the weights, and writes
// packages/router/src/model/prior-asset.ts. Run with `npm run train:router`
// (FORGE1_ROUTING_DATA overrides the data folder, ../shared/routing-data by default).
import { resolve } from 'node:path';
import { assetSource, writeAsset } from './routing/asset.ts';
import { dataDirectory, loadRows, trainableSources } from './routing/data.ts';
import { defaultTrainOptions, train } from './routing/trainer.ts';

const root = resolve(import.meta.dirname, '..');
const rows = loadRows(dataDirectory(root), trainableSources);
const model = train(rows, defaultTrainOptions);
const target = resolve(root, 'packages/router/src/model/prior-asset.ts');
const source = assetSource(model, trainableSources, defaultTrainOptions.label);
writeAsset(target, source);
console.log(
  `prior trained on ${rows.length} prompts of ${trainableSources.join(', ')}; ${(source.length / 1024).toFixed(0)} KB written to packages/router/src/model/prior-asset.ts`,
);
