export { type GoogleAdapterOptions, type GoogleClientLike, google } from './google-adapter.js';
