#!/bin/sh
# Renders the README's document pictures from the demo workbook: one page of each document, as a person sees it.
# Needs poppler-utils (pdftoppm) and Chromium; run from the project's root after `make demo`.
set -eu
out=docs/images
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=.venv/bin/sheets-sync
$bin agreements --sheet demo/workbook.xlsx --out "$work/agreements" --format pdf --level office_school >/dev/null
$bin templates --sheet demo/workbook.xlsx --out "$work/templates" --format pdf --kpi 7 >/dev/null
$bin report --sheet demo/workbook.xlsx --today 20/7/2570 -o "$work/report.pdf" >/dev/null
$bin site --sheet demo/workbook.xlsx --today 20/7/2570 --out "$work/site" >/dev/null
agreement=$(ls "$work"/agreements/*หนองบัว.pdf)
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$agreement" "$out/agreement"
pdftoppm -r 60 -png -f 2 -l 2 -singlefile "$agreement" "$out/agreement-annex"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$work/templates/2570_ตัวชี้วัด_7.pdf" "$out/kpi-template"
pdftoppm -r 60 -png -f 4 -l 4 -singlefile "$work/report.pdf" "$out/report-round"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,844 \
  --screenshot="$out/site-steps-phone.png" "file://$work/site/steps.html" 2>/dev/null
