/**
 * Bot.withOverlay: a bot that shares a compiled base and adds extra AIML files compiled on their own, so the
 * cost is the overlay's, not the base's. It answers as if the overlay files had been loaded last into the base
 * (layered-graph.ts); everything that is not AIML (sets, maps, substitutions, properties, limits, clock, the
 * learn file's sink) is the base's.
 */
import { aimlLoadOrder, loadAimlFilesSteps, sortBotFiles } from './aiml-files.js';
import type { BotData } from './bot-data.js';
import { LayeredGraph, LayeredMatcher } from './layered-graph.js';
import { Matcher, PatternGraph } from './pattern-graph.js';
import type { AimlDiagnostic, BotFiles } from './types.js';
import { runToEnd } from './xml.js';

/** The compiled contents of base + overlay files, and what compiling the overlay files reported. */
export function overlayData(base: BotData, files: BotFiles): { data: BotData; diagnostics: AimlDiagnostic[] } {
  const diagnostics: AimlDiagnostic[] = [];
  const { aimlPaths, storeFiles, aimlContent } = sortBotFiles(files, diagnostics);
  for (const { path } of storeFiles) {
    diagnostics.push({
      file: path,
      line: 0,
      column: 0,
      message: "an overlay adds AIML files only (sets, maps, substitutions and properties are the base bot's): file ignored",
      severity: 'warning',
    });
  }
  // The derived bot's own copy: its <learnf> must not add to the base's learn file contents.
  const learnf = { ...base.learnf, categoriesXml: [...base.learnf.categoriesXml] };
  const top = new PatternGraph();
  const target = {
    graph: top,
    properties: base.properties,
    resolveSet: base.resolveSet,
    learnFile: learnf.fileName,
    learnXml: learnf.categoriesXml,
    diagnostics,
    missingSets: new Set<string>(),
  };
  runToEnd(loadAimlFilesSteps(aimlLoadOrder(aimlPaths, learnf.fileName), aimlContent, target));
  const data: BotData = {
    ...base,
    graph: new LayeredGraph(base.graph, top),
    matcher: new LayeredMatcher(base.matcher, new Matcher(top)),
    learnf,
  };
  return { data, diagnostics };
}
