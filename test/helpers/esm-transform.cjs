/**
 * Jest transform for the ES-module-only packages the Lambda code imports (hyparquet): Jest runs
 * CommonJS, so their sources are compiled to CommonJS with esbuild, as the Lambda bundle is.
 */
'use strict';
const esbuild = require('esbuild');

module.exports = {
  process(source, file) {
    const { code, map } = esbuild.transformSync(source, { format: 'cjs', loader: 'js', target: 'node20', sourcemap: 'external', sourcefile: file });
    return { code, map };
  },
  getCacheKey(source, file) {
    return require('node:crypto').createHash('sha256').update(`${esbuild.version}\0${file}\0${source}`).digest('hex');
  },
};
