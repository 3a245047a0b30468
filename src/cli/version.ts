/** The package version for --version (one constant, src/report/version.ts). */
export { BTFPARITY_VERSION } from '../report/version.js';
