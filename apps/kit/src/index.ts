/**
 * Shared pieces of the Elman demo apps: dependency-free SVG charts, command-line option parsing and the output folder.
 * Private to the workspace (not published).
 *
 * @packageDocumentation
 */
export { type AppArgs, type AppCommand, defaultOutDir, intOption, listOption, numberOption, parseAppArgs } from './cli.js';
export { type ExperimentRecord, recordAppExperiments, recordExperiment, workspaceRoot } from './experiments.js';
export { type ChartSeries, type LineChartSpec, lineChart } from './line-chart.js';
export { PALETTE, escapeXml, niceTicks } from './svg.js';
export { assertWellFormedXml } from './xml-check.js';
export { type BarChartSpec, type BarSeries, barChart } from './bar-chart.js';
export { type HeatMapSpec, heatMap } from './heat-map.js';
export { type TextTableSpec, textTable } from './text-table.js';
export { type EpochLogger, type EpochLoggerInfo, epochLogger } from './epoch-logger.js';
export { type ScatterChartSpec, type ScatterGroup, scatterChart } from './scatter-chart.js';
