/**
 * bench/chart.svg from results.json, hand-written SVG: one panel per database, one group of bars
 * per workload, one bar per library showing its median throughput as a ratio to the raw driver
 * of that database on a log scale (1× marked), the value printed at the bar's end.
 */
import type { BenchResults } from "../runtime/results.js";
import { DATABASES, DATABASE_TITLE, type Database } from "../runtime/targets.js";
import { WORKLOADS } from "../runtime/workloads.js";
import { ratio } from "./format.js";
import { find, subjectsOf, summaries, type Summary } from "./summary.js";

const WIDTH = 960;
const LABEL = 250;
const PLOT = 600;
const BAR = 10;
const GAP = 12;
const MIN_RATIO = 1 / 64;
const MAX_RATIO = 4;

/** One colour per subject: yara in reds, raw drivers in greys, each peer its own hue. */
const COLORS: Record<string, string> = {
  "yara (native)": "#c92a2a",
  "yara (pg)": "#f76707",
  "yara (better-sqlite3)": "#f76707",
  pg: "#868e96",
  "better-sqlite3": "#868e96",
  "postgres.js": "#ced4da",
  "yara (mysql2)": "#f76707",
  mysql2: "#868e96",
  "drizzle (mysql2)": "#2f9e44",
  "kysely (mysql2)": "#7048e8",
  "drizzle (pg)": "#2f9e44",
  "drizzle (better-sqlite3)": "#2f9e44",
  "kysely (pg)": "#7048e8",
  "kysely (better-sqlite3)": "#7048e8",
  "prisma (pg)": "#1c7ed6",
  "prisma (better-sqlite3)": "#1c7ed6",
};

function color(subject: string): string {
  return COLORS[subject] ?? "#495057";
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** x of a ratio on the log scale. */
function x(value: number): number {
  const clamped = Math.min(MAX_RATIO, Math.max(MIN_RATIO, value));
  const span = Math.log2(MAX_RATIO) - Math.log2(MIN_RATIO);
  return LABEL + ((Math.log2(clamped) - Math.log2(MIN_RATIO)) / span) * PLOT;
}

function panel(
  all: readonly Summary[],
  database: Database,
  top: number,
): { svg: string[]; height: number } {
  const subjects = subjectsOf(all, database);
  const workloads = WORKLOADS.filter((w) =>
    all.some((s) => s.workload.id === w.id && s.database === database),
  );
  const svg: string[] = [];
  const title = DATABASE_TITLE[database];
  svg.push(
    `<text x="10" y="${top + 16}" class="h">${title}: throughput relative to the raw driver (log scale)</text>`,
  );
  let y = top + 34;
  const plotTop = y;
  for (const w of workloads) {
    const groupHeight = subjects.length * BAR;
    svg.push(
      `<text x="${LABEL - 8}" y="${y + groupHeight / 2 + 4}" text-anchor="end">${escape(w.id)}</text>`,
    );
    subjects.forEach((subject, k) => {
      const s = find(all, database, w.id, subject);
      const top = y + k * BAR;
      if (!s || !Number.isFinite(s.ratio)) return;
      const end = x(s.ratio);
      svg.push(
        `<rect x="${LABEL}" y="${top + 1}" width="${(end - LABEL).toFixed(1)}" height="${BAR - 2}" fill="${color(subject)}"><title>${escape(subject)}: ${ratio(s.ratio)}</title></rect>`,
      );
      svg.push(
        `<text x="${(end + 3).toFixed(1)}" y="${top + BAR - 2}" class="v">${ratio(s.ratio)}</text>`,
      );
    });
    y += groupHeight + GAP;
  }
  for (const tick of [1 / 64, 1 / 16, 1 / 4, 1, 4]) {
    const tx = x(tick).toFixed(1);
    const label = tick >= 1 ? `${tick}×` : `1/${1 / tick}`;
    svg.push(
      `<line x1="${tx}" y1="${plotTop - 4}" x2="${tx}" y2="${y - GAP + 4}" class="${tick === 1 ? "one" : "grid"}"/>`,
      `<text x="${tx}" y="${y + 6}" text-anchor="middle" class="v">${label}</text>`,
    );
  }
  let lx = LABEL;
  let legendY = y + 24;
  for (const subject of subjects) {
    const width = 24 + subject.length * 6.5;
    if (lx + width > WIDTH) {
      lx = LABEL;
      legendY += 16;
    }
    svg.push(
      `<rect x="${lx}" y="${legendY - 9}" width="10" height="10" fill="${color(subject)}"/>`,
    );
    svg.push(`<text x="${lx + 14}" y="${legendY}">${escape(subject)}</text>`);
    lx += width;
  }
  return { svg, height: legendY + 16 - top };
}

export function renderChart(results: BenchResults): string {
  const all = summaries(results);
  const m = results.machine;
  const body: string[] = [
    `<text x="10" y="16" class="v">${escape(
      `${results.mode} run ${results.startedAt.slice(0, 16).replace("T", " ")} UTC, ${results.repetitions} repetition(s), median; ` +
        `${m.cores} cores, load ${m.loadBefore[0]?.toFixed(1)}–${m.loadAfter[0]?.toFixed(1)}; ratios to the raw driver (1× dashed); bars end at 1/64`,
    )}</text>`,
  ];
  let top = 24;
  for (const database of DATABASES) {
    if (!all.some((s) => s.database === database)) continue;
    const { svg, height } = panel(all, database, top);
    body.push(...svg);
    top += height + 20;
  }
  if (body.length === 0)
    body.push(`<text x="10" y="30">no runtime measurements in this run</text>`);
  const height = Math.max(top, 50);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    "<style>.h{font-size:13px;font-weight:600}.v{font-size:9px;fill:#495057}.grid{stroke:#dee2e6}.one{stroke:#212529;stroke-dasharray:3 2}</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
