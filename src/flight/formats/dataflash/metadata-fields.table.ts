/**
 * Which fields the metadata handlers (PARM, MSG, VER, FMTU, UNIT, MULT) read, resolved once per
 * layout to byte offsets so the per-record handlers do no label lookups.
 */
import { fieldOffset, type RecordLayout } from './record-layout.compiler.js';

export const SPECIAL_NONE = 0;
export const SPECIAL_PARM = 1;
export const SPECIAL_MSG = 2;
export const SPECIAL_FMTU = 3;
export const SPECIAL_UNIT = 4;
export const SPECIAL_MULT = 5;
export const SPECIAL_VER = 6;

export const SPECIALS: ReadonlyMap<string, number> = new Map([
  ['PARM', SPECIAL_PARM],
  ['MSG', SPECIAL_MSG],
  ['FMTU', SPECIAL_FMTU],
  ['UNIT', SPECIAL_UNIT],
  ['MULT', SPECIAL_MULT],
  ['VER', SPECIAL_VER],
]);

/** Byte offsets (−1 when absent) of the fields a metadata handler reads, resolved once per layout. */
export interface SpecialOffsets {
  readonly text0: number;
  readonly size0: number;
  readonly text1: number;
  readonly size1: number;
  readonly num0: number;
  readonly num1: number;
}

const TEXT_CHARS = 'nNZ';
const textSize = (layout: RecordLayout, label: string): number => {
  const f = layout.fields?.find((x) => x.label === label && TEXT_CHARS.includes(x.char));
  return f === undefined ? 0 : f.char === 'n' ? 4 : f.char === 'N' ? 16 : 64;
};

/** Which fields each metadata message needs: [text0, text1, num0, num1] as [label, allowed chars]. */
const SPECIAL_FIELDS: Readonly<Record<number, readonly [string, string, readonly [string, string], readonly [string, string]]>> = {
  [SPECIAL_PARM]: ['Name', '', ['Value', 'f'], ['Default', 'f']],
  [SPECIAL_MSG]: ['Message', '', ['', ''], ['', '']],
  [SPECIAL_VER]: ['FWS', '', ['', ''], ['', '']],
  [SPECIAL_FMTU]: ['UnitIds', 'MultIds', ['FmtType', 'B'], ['', '']],
  [SPECIAL_UNIT]: ['Label', '', ['Id', 'bB'], ['', '']],
  [SPECIAL_MULT]: ['', '', ['Id', 'bB'], ['Mult', 'd']],
};

/** For ordinary records (bound once per message type per decode, so this must stay cheap). */
const NO_SPECIAL_OFFSETS: SpecialOffsets = { text0: -1, size0: 0, text1: -1, size1: 0, num0: -1, num1: -1 };

export function specialOffsets(layout: RecordLayout, special: number): SpecialOffsets {
  const s = SPECIAL_FIELDS[special];
  if (s === undefined) return NO_SPECIAL_OFFSETS;
  const text = (label: string): number => (label === '' ? -1 : fieldOffset(layout, label, TEXT_CHARS));
  const num = ([label, chars]: readonly [string, string]): number => (label === '' ? -1 : fieldOffset(layout, label, chars));
  return {
    text0: text(s[0]),
    size0: textSize(layout, s[0]),
    text1: text(s[1]),
    size1: textSize(layout, s[1]),
    num0: num(s[2]),
    num1: num(s[3]),
  };
}

