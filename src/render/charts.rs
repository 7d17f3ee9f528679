//! Render stage: timelines. Incidents and fatalities per month of a set of
//! briefs (a country's, a group's, the whole site's), laid out at build time
//! as bars for an inline SVG chart that needs no script; the templates lay
//! it out (`macros.html`, `timeline`) and follow it with the same figures
//! as a table, whose bars and rows come drawn in the page's language (see
//! [`Chart::bars_svg`]). Retracted briefs are not events and are left out,
//! as from every total.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::i18n::Strings;
use super::templates::push_escaped;
use crate::diagnostics::Diagnostic;
use crate::model::ResolvedBrief;

/// The drawing's size in SVG units (it scales to the page's width).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 150.0;
/// Room for the value labels on the left and the years below.
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 20.0;
const TOP: f64 = 8.0;
/// At most this many year labels under a chart.
const MAX_YEAR_LABELS: i32 = 12;
/// A timeline shows at most the last fifty years: a brief dated in year 1
/// must not make every list page draw twenty thousand months.
const MAX_MONTHS: i64 = 600;

/// One month of the timeline.
#[derive(Debug, Serialize, PartialEq)]
pub struct Month {
    /// Its first day (`2023-09-01`), for `human_date(precision="month")`.
    pub start: NaiveDate,
    pub incidents: u64,
    pub fatalities: u64,
}

/// Every month from the first brief's to the last one's, empty months
/// included, and a chart of each figure.
#[derive(Debug, Serialize)]
pub struct Timeline {
    pub months: Vec<Month>,
    /// Incidents before the first month shown (more than fifty years
    /// before the last).
    pub earlier: u64,
    pub incidents: Chart,
    pub fatalities: Chart,
    /// The months with incidents as rows of a table, newest first, a line
    /// each, escaped for HTML (see [`Chart::bars_svg`]).
    pub table_rows: String,
}

/// One figure per month as bars, in SVG units.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// The left edge of the plot and its bottom (the zero line).
    pub left: f64,
    pub baseline: f64,
    /// The largest value of any month.
    pub max: u64,
    /// Bars for months with a value above zero.
    pub bars: Vec<Bar>,
    /// The bars drawn, a line each: an SVG rectangle with its month and
    /// value as a tooltip, every text escaped for HTML, so that a template
    /// writes it as it is (`{{ c.bars_svg | safe }}`); a site's own
    /// template may draw `bars` itself instead. Drawn here because the
    /// same loop in a template was 5 % of a build's time at 10,000 briefs.
    pub bars_svg: String,
    /// Horizontal guides with their values: zero, half and the top.
    pub ticks: Vec<Tick>,
    /// Year labels under the plot.
    pub years: Vec<YearLabel>,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub value: u64,
    /// The month's first day, for its label.
    pub start: NaiveDate,
    /// Its place in the timeline's months.
    #[serde(skip)]
    pub month: usize,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub y: f64,
    pub value: u64,
}

#[derive(Debug, Serialize)]
pub struct YearLabel {
    pub x: f64,
    pub year: i32,
}

/// Months since year 0, so that months can be counted and indexed.
fn month_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn month_start(number: i64) -> NaiveDate {
    let year = i32::try_from(number.div_euclid(12)).expect("a brief's year");
    let month = u32::try_from(number.rem_euclid(12)).expect("0 to 11") + 1;
    NaiveDate::from_ymd_opt(year, month, 1).expect("the first of a month exists")
}

/// The timeline of some briefs, by the month each began; `None` when none
/// of them is an event. Linear in the briefs and the months they span.
/// Its bars and rows are drawn by [`Timeline::draw`], once a page is to
/// be rendered.
pub fn timeline<'a>(briefs: impl IntoIterator<Item = &'a ResolvedBrief>) -> Option<Timeline> {
    let events: Vec<(i64, u64)> =
        briefs.into_iter().filter(|b| !b.is_retracted()).map(|b| (month_number(b.date), b.best_fatalities())).collect();
    let last = events.iter().map(|e| e.0).max()?;
    let first = events.iter().map(|e| e.0).min()?.max(last - MAX_MONTHS + 1);
    let mut months: Vec<Month> =
        (first..=last).map(|n| Month { start: month_start(n), incidents: 0, fatalities: 0 }).collect();
    let mut earlier = 0;
    for (n, fatalities) in events {
        if n < first {
            earlier += 1;
            continue;
        }
        let month = &mut months[usize::try_from(n - first).expect("within the span")];
        month.incidents += 1;
        month.fatalities = month.fatalities.saturating_add(fatalities);
    }
    let incidents = chart(&months, |m| m.incidents);
    let fatalities = chart(&months, |m| m.fatalities);
    Some(Timeline { months, earlier, incidents, fatalities, table_rows: String::new() })
}

impl Timeline {
    /// Draws the bars and the table's rows in the language of `strings`
    /// (see [`Chart::bars_svg`]): only for a page that is rendered, as
    /// [`super::maps::Map::draw`]. Fails only if an interface string
    /// cannot be used.
    pub fn draw(&mut self, strings: &Strings) -> Result<(), Diagnostic> {
        let colon = strings.called("punctuation.colon", None).map_err(|e| strings.problem(e))?;
        // Each month's name, for the months with a bar in either chart.
        let names: Vec<Option<String>> =
            self.months.iter().map(|m| (m.incidents > 0 || m.fatalities > 0).then(|| strings.month(m.start))).collect();
        self.incidents.bars_svg = bars_svg(&self.incidents, &names, &colon, strings);
        self.fatalities.bars_svg = bars_svg(&self.fatalities, &names, &colon, strings);
        let mut rows = String::new();
        for (m, name) in self.months.iter().zip(&names).rev().filter(|(m, _)| m.incidents > 0) {
            let start = m.start.to_string();
            rows.push_str("\n        <tr><th scope=\"row\"><time datetime=\"");
            push_escaped(&mut rows, &start.chars().take(7).collect::<String>());
            rows.push_str("\">");
            push_escaped(&mut rows, name.as_deref().unwrap_or_default());
            rows.push_str("</time></th><td class=\"num\">");
            push_escaped(&mut rows, &strings.number(m.incidents as f64));
            rows.push_str("</td><td class=\"num\">");
            push_escaped(&mut rows, &strings.number(m.fatalities as f64));
            rows.push_str("</td></tr>");
        }
        self.table_rows = rows;
        Ok(())
    }
}

/// A chart's bars drawn (see [`Chart::bars_svg`]); `names` are the
/// timeline's months' names (for those with a value), `colon` the
/// language's colon, for the bars' tooltips.
fn bars_svg(chart: &Chart, names: &[Option<String>], colon: &str, strings: &Strings) -> String {
    let mut svg = String::with_capacity(chart.bars.len() * 100);
    for bar in &chart.bars {
        let Bar { x, y, width, height, value, .. } = bar;
        // Numbers as a template writes them (`12`, `3.25`).
        svg.push_str(&format!("\n        <rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\"><title>"));
        push_escaped(&mut svg, names[bar.month].as_deref().unwrap_or_default());
        push_escaped(&mut svg, colon);
        svg.push(' ');
        push_escaped(&mut svg, &strings.number(*value as f64));
        svg.push_str("</title></rect>");
    }
    svg
}

/// A round number at or above `max` for the top of a chart, so that its
/// guides (zero, half, top) read as plain figures and the tallest bar
/// fills most of the height: small counts rounded up to an even number,
/// larger ones to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
fn round_up(max: u64) -> u64 {
    if max <= 2 {
        return max;
    }
    if max < 10 {
        return max + max % 2;
    }
    let mut scale = 1u64;
    loop {
        for step in [10u64, 12, 15, 20, 25, 30, 40, 50, 60, 80] {
            match step.checked_mul(scale) {
                Some(candidate) if candidate >= max => return candidate,
                Some(_) => {}
                None => return max,
            }
        }
        match scale.checked_mul(10) {
            Some(next) => scale = next,
            None => return max,
        }
    }
}

fn chart(months: &[Month], value: impl Fn(&Month) -> u64) -> Chart {
    let max = months.iter().map(&value).max().unwrap_or(0);
    let top = round_up(max.max(1));
    let plot_width = WIDTH - LEFT;
    let plot_height = HEIGHT - BOTTOM - TOP;
    let baseline = HEIGHT - BOTTOM;
    let slot = plot_width / months.len() as f64;
    // A gap between bars while they are wide enough to show one.
    let gap = if slot >= 4.0 { slot * 0.2 } else { 0.0 };
    let round = |v: f64| (v * 100.0).round() / 100.0;
    let bars: Vec<Bar> = months
        .iter()
        .enumerate()
        .filter(|(_, m)| value(m) > 0)
        .map(|(i, m)| {
            let height = round(plot_height * value(m) as f64 / top as f64);
            Bar {
                x: round(LEFT + slot * i as f64 + gap / 2.0),
                y: round(baseline - height),
                width: round(slot - gap),
                height,
                value: value(m),
                start: m.start,
                month: i,
            }
        })
        .collect();
    // Zero, the top, and the half way when it is a whole number.
    let halfway = top.is_multiple_of(2).then_some(top / 2);
    let ticks = [Some(0), halfway, Some(top)]
        .into_iter()
        .flatten()
        .map(|v| Tick { y: round(baseline - plot_height * v as f64 / top as f64), value: v })
        .collect();
    let first_year = months.first().map_or(0, |m| m.start.year());
    let last_year = months.last().map_or(0, |m| m.start.year());
    let step = ((last_year - first_year) / MAX_YEAR_LABELS + 1).max(1);
    // Each January is labelled (every `step` years); the first month too
    // when the year has room for its label before the next January.
    let years = months
        .iter()
        .enumerate()
        .filter(|(i, m)| m.start.month() == 1 || (*i == 0 && m.start.month() <= 7))
        .filter(|(_, m)| (m.start.year() - first_year) % step == 0)
        .map(|(i, m)| YearLabel { x: round(LEFT + slot * i as f64), year: m.start.year() })
        .collect();
    Chart { width: WIDTH, height: HEIGHT, left: LEFT, baseline, max, bars, bars_svg: String::new(), ticks, years }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guides_are_round_numbers() {
        assert_eq!([1, 2, 3, 7, 10, 11, 499, 501, 1012].map(round_up), [1, 2, 4, 8, 10, 12, 500, 600, 1200]);
        assert_eq!(round_up(u64::MAX), u64::MAX);
    }

    #[test]
    fn months_are_counted_across_years() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 15).unwrap();
        assert_eq!(month_number(d(2024, 1)) - month_number(d(2023, 12)), 1);
        assert_eq!(month_start(month_number(d(2023, 12))), NaiveDate::from_ymd_opt(2023, 12, 1).unwrap());
    }
}
