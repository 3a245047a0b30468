/**
 * The btfparity library API (the package root). Pure functions only: bytes
 * in, decoded graphs and text out. The CLI in src/cli/ is built on these.
 */
// Reader: ELF and BTF decoding.
export { parseElf, readSymbols, findSection, isElf } from './artifact/elf.js';
export type { ElfFile, ElfSection, ElfSymbol } from './artifact/elf.js';
export { decodeBtf, decodeHeader } from './btf/decode.js';
export type { DecodeOptions } from './btf/decode.js';
export { loadBtf } from './btf/load.js';
export type { LoadedBtf, LoadOptions } from './btf/load.js';
export * from './btf/types.js';
// Writers: dumps and the encoder.
export { dumpBpftool, bpftoolLine } from './btf/dump-bpftool.js';
export { dumpJson, typeJson, DUMP_JSON_VERSION } from './btf/dump-json.js';
export type { DumpJsonSource } from './btf/dump-json.js';
export { encodeBtf, stringSpaceEnd } from './btf/encode.js';
export type { EncodeOptions, EncodableBtf } from './btf/encode.js';
// Errors every entry point may throw.
export { InputError, ToolchainError, EXIT } from './errors.js';
