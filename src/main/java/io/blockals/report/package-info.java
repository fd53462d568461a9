/**
 * Reports people look at: report.html of a training run, one self-contained page (inline SVG, no script, no
 * network) drawn from the run's model.json, so that what it shows is what the model directory records.
 */
package io.blockals.report;
