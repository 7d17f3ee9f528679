//! Render stage: incident maps. A set of located briefs (a country's, a
//! group's, the site's) drawn at build time over the country outlines that
//! the binary embeds (`model::outlines`, Natural Earth 1:50m): no tiles, no
//! script, no request to another host. Points are sized by fatalities;
//! places known only roughly (`geo_precision: near` or `region`) are larger
//! faint circles. The templates lay the map out (`macros.html`,
//! `incident_map`) and follow it with a table of the same briefs; the
//! points and the table's rows come drawn, in the page's language (a map
//! has up to `map_limit` points, and a loop over them in a template cost
//! more than the rest of the page: see [`Map::points_svg`]).

use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::i18n::Strings;
use super::templates::push_escaped;
use crate::diagnostics::Diagnostic;
use crate::model::ResolvedBrief;
use crate::model::brief::GeoPrecision;
use crate::model::country::Country;
use crate::model::fields::Named;
use crate::model::outlines::{self, Bounds, Outline, Point, Polygons};
use crate::urls;

/// The map's width in SVG units; its height follows the place's shape,
/// within these bounds.
const WIDTH: f64 = 640.0;
const MIN_HEIGHT: f64 = 280.0;
const MAX_HEIGHT: f64 = 560.0;
/// The smallest span a map shows, in degrees of latitude (a single point
/// still gets its surroundings).
const MIN_SPAN: f64 = 3.0;
/// Outline points closer than this to the last one kept are dropped: a map
/// of the world and a map of one district cost about the same.
const DETAIL: f64 = 1.0;

/// A map of briefs, in SVG units.
#[derive(Debug, Serialize)]
pub struct Map {
    pub width: f64,
    pub height: f64,
    /// The longitudes and latitudes in view, `[west, south, east, north]`.
    pub bounds: [f64; 4],
    /// The code of the country the map is of, if it is of one.
    pub focus: Option<&'static str>,
    /// Country outlines in view, as SVG `<path>` elements: drawn by
    /// [`Map::draw`] from the bounds and the focus, like the points.
    pub land: Arc<str>,
    /// The briefs shown, largest circles first so that small ones stay on
    /// top and can be clicked.
    pub points: Vec<MapPoint>,
    /// The points drawn, in the same order: for each, a line with an SVG
    /// link to its brief, named for screen readers, around its circle and
    /// a tooltip. Every text in it is escaped for HTML, so a template
    /// writes it as it is (`{{ map.points_svg | safe }}`); a template of
    /// a site's own may draw `points` itself instead. Drawn here because
    /// the same loop in a template took 9 ms for the 500 points of the
    /// home page, rendered again after every edit that touches them.
    pub points_svg: String,
    /// The rows of the table that follows the map (a line with a `<tr>`
    /// per point, in the same order), escaped the same way.
    pub table_rows: String,
    /// Located briefs left off because the map shows at most `limit`.
    pub left_off: usize,
    /// Briefs of the set that have no coordinates.
    pub unlocated: usize,
    /// What the land is drawn in, and the outline drawn last.
    #[serde(skip)]
    frame: (View, Option<&'static Outline>),
}

/// The outlines in `view` as SVG `<path>` elements, the country the map
/// is of (`focus`) last and marked, so that its border is drawn whole.
/// The same view is drawn again and again (a preview's home page after
/// each edit, each language's copy of a page, groups active in the same
/// countries), and drawing costs more than the rest of a map page: the
/// last views drawn are kept. A site of 10,000 synthetic briefs over 30
/// countries and 200 groups has 462 maps of 119 views; with 16 kept,
/// drawing was a tenth of a rebuild (perf), as pages come in parallel and
/// in no order that groups their views. Each is about 80 KB of path data.
fn land_in(view: &View, focus: Option<&Outline>) -> Arc<str> {
    type Key = ([u64; 4], usize);
    const KEPT: usize = 128;
    static DRAWN: Mutex<Vec<(Key, Arc<str>)>> = Mutex::new(Vec::new());
    let b = view.bounds;
    let key: Key = (
        [b.west.to_bits(), b.south.to_bits(), b.east.to_bits(), b.north.to_bits()],
        focus.map_or(usize::MAX, |f| f as *const Outline as usize),
    );
    let found = DRAWN.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(k, _)| *k == key).map(|(_, s)| s.clone());
    if let Some(land) = found {
        return land;
    }
    let level = view.level();
    // Path data holds only numbers, `M`, `l`, `Z` and spaces: nothing to
    // escape. The focus is drawn last, over its neighbours.
    let mut land = Vec::new();
    let mut focused = Vec::new();
    let mut kept = Vec::new();
    for (outline, polygons) in outlines::all().iter().zip(outlines::coarse(level)) {
        if !outline.bounds.intersects(view.bounds) {
            continue;
        }
        let is_focus = focus.is_some_and(|f| std::ptr::eq(f, outline));
        let out = if is_focus { &mut focused } else { &mut land };
        let start = out.len();
        out.extend_from_slice(b"<path d=\"");
        let data = out.len();
        view.path(polygons, out, &mut kept);
        if out.len() == data {
            out.truncate(start);
            continue;
        }
        out.extend_from_slice(if is_focus { b"\" class=\"map-focus\"/>" } else { b"\"/>" });
    }
    land.extend_from_slice(&focused);
    let land: Arc<str> = String::from_utf8(land).expect("path data is ASCII").into();
    let mut drawn = DRAWN.lock().unwrap_or_else(|e| e.into_inner());
    if drawn.len() >= KEPT {
        drawn.remove(0);
    }
    drawn.push((key, land.clone()));
    land
}

#[derive(Debug, Serialize)]
pub struct MapPoint {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    /// `exact`, `near` or `region`.
    pub precision: &'static str,
    pub url: String,
    pub title: String,
    /// The title's language, when it is not the page's (an untranslated brief).
    pub lang: Option<String>,
    pub date: chrono::NaiveDate,
    pub end_date: Option<chrono::NaiveDate>,
    pub place: Option<String>,
    pub fatalities: u64,
    pub lat: f64,
    pub lon: f64,
}

/// Whether a brief may be one of a map's points (of the newest `limit`
/// that may): it has a place and is not retracted. A map counts the
/// others that are not retracted as having no place.
pub fn may_draw(b: &ResolvedBrief) -> bool {
    b.coordinates.is_some() && !b.is_retracted()
}

/// Maps the located briefs among `briefs` (newest first; at most `limit`
/// of them, the newest), framed on `country` when the map is of one.
/// `None` when there is nothing to draw: no located brief and no country.
/// Its points are drawn by [`Map::draw`], once a page is to be rendered.
pub fn map<'a>(
    briefs: impl IntoIterator<Item = &'a ResolvedBrief>,
    country: Option<&Country>,
    limit: usize,
    base: &str,
    edition: &crate::model::edition::Edition,
) -> Option<Map> {
    let mut located = Vec::new();
    let mut unlocated = 0;
    for b in briefs.into_iter().filter(|b| !b.is_retracted()) {
        if may_draw(b) {
            located.push(b);
        } else {
            unlocated += 1;
        }
    }
    let left_off = located.len().saturating_sub(limit);
    located.truncate(limit);
    let focus = country.and_then(outlines::of);
    // A map of several countries' briefs (the home page, a group) shows
    // those countries whole around the points, so that a single point has
    // its surroundings.
    let mut places: Vec<Bounds> =
        located.iter().filter_map(|b| b.coordinates.map(|c| Bounds::around(c.lon, c.lat))).collect();
    if focus.is_none() {
        let mut seen = std::collections::HashSet::new();
        for b in &located {
            if seen.insert(b.country.code)
                && let Some(outline) = outlines::of(&b.country)
            {
                places.push(main_bounds(outline));
            }
        }
    }
    let points_bounds = places.into_iter().reduce(Bounds::union);
    let bounds = match (focus.map(main_bounds), points_bounds) {
        (Some(f), Some(p)) => f.union(p),
        (Some(f), None) => f,
        (None, Some(p)) => p,
        (None, None) => return None,
    };
    let view = View::framing(bounds);
    let mut points: Vec<MapPoint> = located
        .iter()
        .filter_map(|b| {
            let c = b.coordinates?;
            let (x, y) = view.project(c.lon, c.lat);
            let fatalities = b.best_fatalities();
            Some(MapPoint {
                x: round(x),
                y: round(y),
                r: radius(fatalities, b.geo_precision),
                precision: b.geo_precision.name(),
                url: urls::brief(&b.slug).url(edition.base_for(b.text_language.as_deref(), base)),
                title: b.title.clone(),
                lang: b.text_language.as_deref().map(str::to_string),
                date: b.date,
                end_date: b.rare.end_date,
                place: b.location.clone().or_else(|| b.admin1.clone()),
                fatalities,
                lat: c.lat,
                lon: c.lon,
            })
        })
        .collect();
    points.sort_by(|a, b| b.r.total_cmp(&a.r));
    // The land and the points are drawn by `Map::draw`, once the page is
    // to be rendered.
    let (land, points_svg, table_rows) = Default::default();
    Some(Map {
        width: WIDTH,
        height: round(view.height),
        bounds: [view.bounds.west, view.bounds.south, view.bounds.east, view.bounds.north],
        focus: focus.and(country).map(|c| c.code),
        land,
        points,
        points_svg,
        table_rows,
        left_off,
        unlocated,
        frame: (view, focus),
    })
}

impl Map {
    /// Draws the land, the points and the table's rows in the language of
    /// `strings` (see [`Map::points_svg`]): only for a page that is
    /// rendered, not for one whose view is found unchanged (its digest
    /// covers the bounds, the focus and the points, and the templates'
    /// identity the strings). Fails only if an interface string cannot be
    /// used (a counted one without its `other` form).
    pub fn draw(&mut self, strings: &Strings) -> Result<(), Diagnostic> {
        self.land = land_in(&self.frame.0, self.frame.1);
        (self.points_svg, self.table_rows) = draw(&self.points, strings).map_err(|e| strings.problem(e))?;
        Ok(())
    }
}

/// The points as SVG links and as table rows (see [`Map::points_svg`]),
/// each on a line of its own indented as `incident_map` places it.
fn draw(points: &[MapPoint], strings: &Strings) -> Result<(String, String), String> {
    use std::fmt::Write as _;
    // (Writing into a `String` does not fail.)
    let t = |key: &str, count: Option<u64>| strings.called(key, count.map(|n| n as f64));
    let semicolon = t("punctuation.semicolon", None)?;
    let precision: Vec<String> = [GeoPrecision::Exact, GeoPrecision::Near, GeoPrecision::Region]
        .iter()
        .map(|p| t(&format!("geo_precision.{}", p.name()), None))
        .collect::<Result<_, _>>()?;
    let mut svg = String::with_capacity(points.len() * 400);
    let mut rows = String::with_capacity(points.len() * 400);
    for p in points {
        let day = strings.day(p.date);
        let killed = t("count.killed", Some(p.fatalities))?;
        let place = p.place.as_deref().filter(|place| !place.is_empty());
        svg.push_str("\n        <a href=\"");
        push_escaped(&mut svg, &p.url);
        svg.push_str("\" aria-label=\"");
        push_escaped(&mut svg, &p.title);
        svg.push_str(", ");
        push_escaped(&mut svg, &day);
        if let Some(place) = place {
            svg.push_str(", ");
            push_escaped(&mut svg, place);
        }
        svg.push_str(", ");
        push_escaped(&mut svg, &killed);
        // Numbers as a template writes them (`3`, `12.5`).
        let _ = write!(svg, "\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\" class=\"map-point map-", p.x, p.y, p.r);
        push_escaped(&mut svg, p.precision);
        svg.push_str("\"><title>");
        push_escaped(&mut svg, &p.title);
        svg.push_str(" (");
        push_escaped(&mut svg, &day);
        push_escaped(&mut svg, &semicolon);
        svg.push(' ');
        push_escaped(&mut svg, &killed);
        svg.push_str(")</title></circle></a>");

        rows.push_str("\n        <tr><th scope=\"row\"><a href=\"");
        push_escaped(&mut rows, &p.url);
        rows.push('"');
        if let Some(lang) = p.lang.as_deref().filter(|lang| !lang.is_empty()) {
            rows.push_str(" lang=\"");
            push_escaped(&mut rows, lang);
            rows.push_str("\" hreflang=\"");
            push_escaped(&mut rows, lang);
            rows.push('"');
        }
        rows.push('>');
        push_escaped(&mut rows, &p.title);
        let _ = write!(rows, "</a></th><td><time datetime=\"{}\">", p.date);
        push_escaped(&mut rows, &day);
        rows.push_str("</time></td><td>");
        push_escaped(&mut rows, p.place.as_deref().unwrap_or(""));
        let _ = write!(rows, "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>", p.lat, p.lon);
        let shown = match p.precision {
            "near" => &precision[1],
            "region" => &precision[2],
            _ => &precision[0],
        };
        push_escaped(&mut rows, shown);
        rows.push_str("</td><td class=\"num\">");
        push_escaped(&mut rows, &strings.number(p.fatalities as f64));
        rows.push_str("</td></tr>");
    }
    Ok((svg, rows))
}

/// A circle's radius: its area grows with the toll (a point of 3 units for
/// none, 18 at most); a place known only roughly is at least as large as
/// the area it may be in, and drawn faint.
fn radius(fatalities: u64, precision: GeoPrecision) -> f64 {
    let by_toll = (3.0 + (fatalities as f64).sqrt() * 0.9).min(18.0);
    let by_place = match precision {
        GeoPrecision::Exact => 0.0,
        GeoPrecision::Near => 10.0,
        GeoPrecision::Region => 22.0,
    };
    round(by_toll.max(by_place))
}

/// The bounds of a country's largest polygon: a map of France is of
/// France, not of every ocean its overseas territories are in.
fn main_bounds(outline: &Outline) -> Bounds {
    let area = |ring: &Vec<Point>| {
        ring.iter()
            .zip(ring.iter().cycle().skip(1))
            .map(|(a, b)| f64::from(a.0) * f64::from(b.1) - f64::from(b.0) * f64::from(a.1))
            .sum::<f64>()
            .abs()
    };
    outline
        .polygons
        .iter()
        .filter_map(|rings| rings.first())
        .max_by(|a, b| area(a).total_cmp(&area(b)))
        .and_then(|ring| {
            ring.iter().map(|p| Bounds::around(f64::from(p.0) / 1000.0, f64::from(p.1) / 1000.0)).reduce(Bounds::union)
        })
        .unwrap_or(outline.bounds)
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// An equirectangular view, longitudes shrunk by the cosine of the middle
/// latitude so that shapes look right away from the poles.
#[derive(Debug)]
struct View {
    bounds: Bounds,
    shrink: f64,
    scale: f64,
    height: f64,
}

impl View {
    /// A view of `bounds` with a margin, widened or heightened to fit the
    /// map's proportions.
    fn framing(bounds: Bounds) -> View {
        let middle = ((bounds.south + bounds.north) / 2.0).clamp(-70.0, 70.0);
        let shrink = middle.to_radians().cos();
        let margin = |span: f64| (span * 0.08).max(0.3);
        let (mut west, mut east) = (bounds.west, bounds.east);
        let (mut south, mut north) = (bounds.south, bounds.north);
        let lat_margin = margin(north - south);
        let lon_margin = margin(east - west);
        west -= lon_margin;
        east += lon_margin;
        south -= lat_margin;
        north += lat_margin;
        // At least MIN_SPAN of latitude, centred.
        if north - south < MIN_SPAN {
            let grow = (MIN_SPAN - (north - south)) / 2.0;
            south -= grow;
            north += grow;
        }
        // Proportions: widen a tall place, heighten a wide one.
        let width_deg = |w: f64, e: f64| (e - w) * shrink;
        let mut height = WIDTH * (north - south) / width_deg(west, east);
        if height > MAX_HEIGHT {
            let wanted = (north - south) * WIDTH / MAX_HEIGHT / shrink;
            let grow = (wanted - (east - west)) / 2.0;
            west -= grow;
            east += grow;
            height = MAX_HEIGHT;
        } else if height < MIN_HEIGHT {
            let wanted = MIN_HEIGHT * width_deg(west, east) / WIDTH;
            let grow = (wanted - (north - south)) / 2.0;
            south -= grow;
            north += grow;
            height = MIN_HEIGHT;
        }
        let scale = WIDTH / width_deg(west, east);
        View { bounds: Bounds { west, south, east, north }, shrink, scale, height }
    }

    fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.bounds.west) * self.shrink * self.scale, (self.bounds.north - lat) * self.scale)
    }

    /// The coarsest level of `outlines::coarse` whose grid is finer than
    /// half of `DETAIL` at this scale.
    fn level(&self) -> usize {
        let units_per_thousandth = self.scale / 1000.0;
        outlines::GRIDS.iter().rposition(|&g| f64::from(g) * units_per_thousandth <= DETAIL / 2.0).unwrap_or(0)
    }

    /// SVG path data for an outline's polygons, appended to `d` (`kept`
    /// is room for one ring's points): each ring projected, held
    /// to a box a little larger than the view (what lies beyond runs along
    /// its edge, out of sight), with points closer than `DETAIL` to the
    /// last one kept dropped.
    fn path(&self, polygons: &Polygons, d: &mut Vec<u8>, kept: &mut Vec<(f64, f64)>) {
        let pad = 20.0;
        // The view in thousandths of a degree, with a margin wider than
        // any rounding: a ring wholly outside it has no point in sight,
        // and is passed over without projecting its points.
        let b = self.bounds;
        let margin = 0.01 * (b.east - b.west).max(b.north - b.south) + 0.01;
        let (west, east) = ((b.west - margin) * 1000.0, (b.east + margin) * 1000.0);
        let (south, north) = ((b.south - margin) * 1000.0, (b.north + margin) * 1000.0);
        let outside = |ring: &[Point]| {
            let (mut low, mut high) = ((i32::MAX, i32::MAX), (i32::MIN, i32::MIN));
            for p in ring {
                low = (low.0.min(p.0), low.1.min(p.1));
                high = (high.0.max(p.0), high.1.max(p.1));
            }
            f64::from(high.0) < west || f64::from(low.0) > east || f64::from(high.1) < south || f64::from(low.1) > north
        };
        for ring in polygons.iter().flatten() {
            if outside(ring) {
                continue;
            }
            kept.clear();
            for p in ring {
                let (x, y) = self.project(f64::from(p.0) / 1000.0, f64::from(p.1) / 1000.0);
                let point = (x.clamp(-pad, WIDTH + pad), y.clamp(-pad, self.height + pad));
                if let Some(last) = kept.last()
                    && (last.0 - point.0).abs() < DETAIL
                    && (last.1 - point.1).abs() < DETAIL
                {
                    continue;
                }
                kept.push(point);
            }
            // A ring wholly outside the view collapses onto its edge.
            let inside = kept.iter().any(|&(x, y)| (0.0..=WIDTH).contains(&x) && (0.0..=self.height).contains(&y));
            if kept.len() < 3 || !inside {
                continue;
            }
            // The first point absolute, then each as a move from the one
            // before ("l"), in whole tenths so that no rounding adds up:
            // about half the bytes of absolute points.
            let tenths = |v: f64| (v * 10.0).round() as i64;
            let mut at = (0, 0);
            for (i, &(x, y)) in kept.iter().enumerate() {
                let point = (tenths(x), tenths(y));
                let (dx, dy) = if i == 0 { point } else { (point.0 - at.0, point.1 - at.1) };
                if i > 0 && dx == 0 && dy == 0 {
                    continue;
                }
                d.extend_from_slice(match i {
                    0 => b"M",
                    1 => b"l",
                    _ => b"",
                });
                push_tenths(d, dx, i > 1);
                push_tenths(d, dy, true);
                at = point;
            }
            d.push(b'Z');
        }
    }
}

/// A number of tenths as path data writes it (`123` is `12.3`, `-40` is
/// `-4`, `5` is `.5`), after a separator when `separate` and the number
/// does not start with a minus sign: maps hold thousands of them.
fn push_tenths(d: &mut Vec<u8>, tenths: i64, separate: bool) {
    // Written backwards into a buffer by hand, then appended at once:
    // `write!`, or a push per character, costs more than the drawing.
    let mut text = [0u8; 24];
    let mut at = text.len();
    let (mut whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    if tenth != 0 {
        at -= 2;
        text[at] = b'.';
        text[at + 1] = b'0' + tenth as u8;
    }
    if whole != 0 || tenth == 0 {
        loop {
            at -= 1;
            text[at] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
    }
    if tenths < 0 {
        at -= 1;
        text[at] = b'-';
    } else if separate {
        at -= 1;
        text[at] = b' ';
    }
    d.extend_from_slice(&text[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_numbers_are_short() {
        let mut d = Vec::new();
        for tenths in [123, -40, 5, -5, 0, 6400, 1_234_567_890] {
            push_tenths(&mut d, tenths, true);
        }
        assert_eq!(String::from_utf8(d).unwrap(), " 12.3-4 .5-.5 0 640 123456789");
    }

    #[test]
    fn drawn_points_escape_every_text_and_write_numbers_as_templates_do() {
        let strings = Strings::load(std::path::Path::new("/nonexistent"), "en").unwrap();
        let hostile = "<script>alert(1)</script> & \"q\" 'a'";
        let point = MapPoint {
            x: 3.0,
            y: 12.5,
            r: 10.0,
            precision: "near",
            url: "/briefs/a\"onmouseover=\"x/".into(),
            title: hostile.into(),
            lang: Some("fr\"x".into()),
            date: chrono::NaiveDate::from_ymd_opt(2023, 9, 28).unwrap(),
            end_date: None,
            place: Some("<b>Place</b>".into()),
            fatalities: 1234,
            lat: 13.5,
            lon: -2.0,
        };
        let (svg, rows) = draw(&[point], &strings).unwrap();
        for drawn in [&svg, &rows] {
            assert!(
                !drawn.contains("<script") && !drawn.contains("<b>") && !drawn.contains("\"onmouseover"),
                "{drawn}"
            );
            assert!(drawn.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;"), "{drawn}");
        }
        assert_eq!(
            svg,
            "\n        <a href=\"/briefs/a&quot;onmouseover=&quot;x/\" aria-label=\"&lt;script&gt;alert(1)&lt;/script&gt; \
             &amp; &quot;q&quot; &#39;a&#39;, 28 September 2023, &lt;b&gt;Place&lt;/b&gt;, 1,234 killed\"><circle cx=\"3\" \
             cy=\"12.5\" r=\"10\" class=\"map-point map-near\"><title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \
             &quot;q&quot; &#39;a&#39; (28 September 2023; 1,234 killed)</title></circle></a>"
        );
        assert!(rows.contains(" lang=\"fr&quot;x\" hreflang=\"fr&quot;x\">"), "{rows}");
        assert!(rows.contains("<td class=\"num\">13.5</td><td class=\"num\">-2</td><td>near</td>"), "{rows}");
    }

    #[test]
    fn circles_grow_with_the_toll_and_the_vagueness() {
        assert_eq!(radius(0, GeoPrecision::Exact), 3.0);
        assert!(radius(100, GeoPrecision::Exact) > radius(10, GeoPrecision::Exact));
        assert_eq!(radius(1_000_000, GeoPrecision::Exact), 18.0);
        assert_eq!(radius(0, GeoPrecision::Near), 10.0);
        assert_eq!(radius(0, GeoPrecision::Region), 22.0);
    }

    #[test]
    fn a_view_keeps_its_proportions_and_frames_its_bounds() {
        let sahel = Bounds { west: -5.0, south: 11.0, east: 15.0, north: 23.0 };
        let view = View::framing(sahel);
        assert!((MIN_HEIGHT..=MAX_HEIGHT).contains(&view.height));
        let (x, y) = view.project(-5.0, 23.0);
        assert!(x > 0.0 && y > 0.0);
        let (x, y) = view.project(15.0, 11.0);
        assert!(x < WIDTH && y < view.height);
        // One point: a few degrees around it.
        let view = View::framing(Bounds::around(2.0, 13.5));
        assert!(view.bounds.north - view.bounds.south >= MIN_SPAN);
        let (x, y) = view.project(2.0, 13.5);
        assert!((x - WIDTH / 2.0).abs() < 1.0 && (y - view.height / 2.0).abs() < 1.0);
    }
}
