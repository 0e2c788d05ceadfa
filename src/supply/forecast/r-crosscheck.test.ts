import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSeriesCsv } from '../backtest/series-csv.js';
import { croston, sesLevel } from './smoothing.js';
import { missingSharedNotice, sharedFile } from '../../../test/support/shared-data.js';

/**
 * Golden values from R 4.2 + forecast 8.20 (Debian r-cran-forecast), computed once at dev time on
 * the training part of real series (RAF: first 72 months; carparts: first 39), so CI needs no R:
 *
 *   library(forecast)
 *   raf <- read.csv("raf_spares_monthly_demand.csv", check.names = FALSE)
 *   cp  <- read.csv("carparts_monthly.csv", check.names = FALSE, colClasses = c(part_id = "character"))
 *   y <- as.numeric(raf[i, 5:76])            # or as.numeric(cp[i, 2:40])
 *   croston(y, h = 1, alpha = 0.1)$mean[1]
 *   ses(y, h = 1, alpha = 0.1, initial = "simple")$mean[1]
 */
const GOLDEN: readonly { file: 'raf' | 'carparts'; id: string; croston: number; ses: number }[] = [
  { file: 'raf', id: '1', croston: 0.597487657675666, ses: 0.187839037284325 },
  { file: 'raf', id: '2', croston: 0.713186317670261, ses: 0.0858449007465038 },
  { file: 'raf', id: '17', croston: 0.315597084420051, ses: 0.0817577276013642 },
  { file: 'raf', id: '100', croston: 0.136803753388202, ses: 0.207394949570597 },
  { file: 'raf', id: '1234', croston: 1.38676209297341, ses: 2.27326416004261 },
  { file: 'raf', id: '4321', croston: 0.484846990091464, ses: 0.6414272167423 },
  { file: 'carparts', id: '21035515', croston: 0.0598802395209581, ses: 0.0294721008016697 },
  { file: 'carparts', id: '21055184', croston: 0.238095238095238, ses: 0.0131947388676452 },
  { file: 'carparts', id: '21314705', croston: 0.115151515151515, ses: 0.0545632620536723 },
  { file: 'carparts', id: '21065067', croston: 0.257529046199935, ses: 0.215917374925337 },
  { file: 'carparts', id: '21134730', croston: 1.53958940175693, ses: 1.58988809241193 },
];

const FILES = { raf: 'mrodata/raf_spares_monthly_demand.csv', carparts: 'mrodata/carparts_monthly.csv' } as const;
const TRAIN = { raf: 72, carparts: 39 } as const;

describe('cross-check against R forecast 8.20', () => {
  for (const file of ['raf', 'carparts'] as const) {
    const rel = FILES[file];
    it(`croston and ses (α = 0.1) on ${file} series equal R to 1e-12`, { skip: sharedFile(rel) ? false : missingSharedNotice(rel) }, () => {
      const set = parseSeriesCsv(readFileSync(sharedFile(rel)!, 'utf8'));
      const byId = new Map(set.series.map((s) => [s.id, s]));
      for (const g of GOLDEN.filter((x) => x.file === file)) {
        const y = byId.get(g.id)!.values.subarray(0, TRAIN[file]);
        assert.ok(Math.abs(croston(y, 0.1) - g.croston) < 1e-12, `croston ${g.id}: ${croston(y, 0.1)} vs R ${g.croston}`);
        assert.ok(Math.abs(sesLevel(y, 0.1) - g.ses) < 1e-12, `ses ${g.id}: ${sesLevel(y, 0.1)} vs R ${g.ses}`);
      }
    });
  }
});
