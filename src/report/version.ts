/** btfparity's version, as package.json says (test/package.test.ts checks they agree): --version and SARIF's tool.driver. */
export const BTFPARITY_VERSION = '0.1.0';
