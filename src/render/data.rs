//! Render stage: data downloads for analysts. `incidents.csv` (columns named
//! as ACLED names them where they mean the same, plus ours, with an HXL
//! hashtag row so HDX tools recognise them), `incidents.geojson` (RFC 7946:
//! `[lon, lat]`, no `crs`) and `incidents.json` (the whole model), for the
//! site under `/data/`, and CSV and GeoJSON for each country and group.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::Listing;
use crate::model::fields::Named;
use crate::model::{ResolvedBrief, Site};
use crate::urls;

/// (column, HXL hashtag), in order.
const COLUMNS: &[(&str, &str)] = &[
    ("event_id", "#event+id"),
    ("event_date", "#date+occurred"),
    ("end_date", "#date+end"),
    // Not `#date+precision`: HXL's `#date` columns hold dates, and
    // libhxl's default validation schema says so.
    ("time_precision", "#meta+date+precision"),
    ("event_type", "#event+type"),
    ("sub_event_type", "#event+type+sub"),
    ("actor1", "#org+name+actor1"),
    ("assoc_actor_1", "#org+name+actor1+assoc"),
    ("actor2", "#org+name+actor2"),
    ("country", "#country+name"),
    ("iso", "#country+code+num"),
    // ISO 3166-1 alpha-3, the country code HDX datasets join on.
    ("iso3", "#country+code"),
    ("admin1", "#adm1+name"),
    ("admin2", "#adm2+name"),
    ("admin3", "#adm3+name"),
    ("location", "#loc+name"),
    ("latitude", "#geo+lat"),
    ("longitude", "#geo+lon"),
    ("geo_precision", "#geo+precision"),
    ("source", "#meta+source"),
    ("notes", "#description"),
    ("fatalities", "#affected+killed"),
    ("tags", "#meta+tags"),
    ("fatalities_low", "#affected+killed+min"),
    ("fatalities_high", "#affected+killed+max"),
    ("status", "#status"),
    ("url", "#meta+url"),
];

/// One brief as a row of the CSV and as GeoJSON properties. What a brief
/// does not say is `None`: an empty cell in the CSV, `null` in the GeoJSON
/// (so GIS tools type `end_date` as a date and can tell "not given").
#[derive(Serialize)]
struct Record<'a> {
    event_id: Cell<'a>,
    event_date: chrono::NaiveDate,
    end_date: Option<chrono::NaiveDate>,
    time_precision: u8,
    event_type: Cell<'a>,
    sub_event_type: Option<Cell<'a>>,
    actor1: Cell<'a>,
    assoc_actor_1: Cell<'a>,
    actor2: Cell<'a>,
    country: Cell<'a>,
    iso: Option<u16>,
    iso3: &'static str,
    admin1: Option<Cell<'a>>,
    admin2: Option<Cell<'a>>,
    admin3: Option<Cell<'a>>,
    location: Option<Cell<'a>>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    geo_precision: u8,
    source: Cell<'a>,
    notes: Option<Cell<'a>>,
    fatalities: u64,
    tags: Cell<'a>,
    fatalities_low: Option<u64>,
    fatalities_high: Option<u64>,
    status: &'static str,
    url: Cell<'a>,
}

/// A text cell: borrowed from the brief where it is written there as it is.
type Cell<'a> = Cow<'a, str>;

/// The texts joined by `; `, borrowed when there is only one.
fn joined<'a>(mut texts: impl Iterator<Item = &'a str>) -> Cell<'a> {
    let Some(first) = texts.next() else { return Cow::Borrowed("") };
    match texts.next() {
        None => Cow::Borrowed(first),
        Some(second) => {
            let mut all = format!("{first}; {second}");
            for text in texts {
                all.push_str("; ");
                all.push_str(text);
            }
            Cow::Owned(all)
        }
    }
}

fn record<'a>(site: &'a Site, b: &'a ResolvedBrief, base: &str) -> Record<'a> {
    let name = |i: usize| -> &'a str {
        let g = &b.groups[i];
        site.group(&g.slug).map_or(&*g.name, |gi| gi.group.name.as_str())
    };
    let borrowed = |text: &'a Option<String>| text.as_deref().map(Cow::Borrowed);
    Record {
        event_id: Cow::Borrowed(&b.slug),
        event_date: b.date,
        end_date: b.rare.end_date,
        time_precision: b.date_precision.acled_code(),
        event_type: Cow::Borrowed(b.event_type.map(|t| t.label()).unwrap_or_default()),
        sub_event_type: borrowed(&b.rare.sub_event_type),
        actor1: Cow::Borrowed(if b.groups.is_empty() { "" } else { name(0) }),
        assoc_actor_1: joined((1..b.groups.len()).map(name)),
        actor2: joined(b.rare.targets.iter().map(String::as_str)),
        // ACLED's column: the English name, whatever the site's language.
        country: Cow::Borrowed(crate::model::country::name_in(b.country.code, "en").unwrap_or(b.country.name)),
        iso: b.country.numeric,
        iso3: b.country.alpha3,
        admin1: borrowed(&b.admin1),
        admin2: borrowed(&b.rare.admin2),
        admin3: borrowed(&b.rare.admin3),
        location: borrowed(&b.location),
        latitude: b.coordinates.map(|c| c.lat),
        longitude: b.coordinates.map(|c| c.lon),
        geo_precision: match b.geo_precision.name() {
            "exact" => 1,
            "near" => 2,
            _ => 3,
        },
        source: joined(b.sources.iter().map(|s| s.name.as_str())),
        notes: borrowed(&b.summary),
        fatalities: b.best_fatalities(),
        tags: joined(b.tags.iter().map(String::as_str)),
        fatalities_low: b.fatalities.as_ref().and_then(|f| f.low),
        fatalities_high: b.fatalities.as_ref().and_then(|f| f.high),
        status: b.status.name(),
        url: Cow::Owned(urls::brief(&b.slug).url(base)),
    }
}

impl Record<'_> {
    /// The record with every text cell that a spreadsheet would read as a
    /// formula made plain text (see [`plain_cell`]). Numbers stay numbers.
    fn for_spreadsheets(self) -> Self {
        Record {
            event_id: plain_cell(self.event_id),
            event_type: plain_cell(self.event_type),
            sub_event_type: self.sub_event_type.map(plain_cell),
            actor1: plain_cell(self.actor1),
            assoc_actor_1: plain_cell(self.assoc_actor_1),
            actor2: plain_cell(self.actor2),
            country: plain_cell(self.country),
            admin1: self.admin1.map(plain_cell),
            admin2: self.admin2.map(plain_cell),
            admin3: self.admin3.map(plain_cell),
            location: self.location.map(plain_cell),
            source: plain_cell(self.source),
            notes: self.notes.map(plain_cell),
            tags: plain_cell(self.tags),
            url: plain_cell(self.url),
            ..self
        }
    }
}

/// A CSV cell that Excel, LibreOffice and Google Sheets will not run: a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a
/// formula to them (`=HYPERLINK(...)`, `@SUM(...)`), so it gets a leading
/// `'`, as OWASP's advice on CSV injection says. Spreadsheets hide the `'`;
/// tools that read the CSV as data see it, which is the price of safety.
fn plain_cell(text: Cell) -> Cell {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { Cow::Owned(format!("'{text}")) } else { text }
}

/// The CSV download of a listing: one row per brief, ACLED-style columns,
/// then an HXL row.
pub fn csv(site: &Site, listing: Listing, w: &mut dyn Write) -> io::Result<()> {
    csv_file(site, &super::publish::link_base(&site.config), &events(site, listing), w)
}

/// The briefs of a listing that are events: not retracted. (The full
/// model, `incidents.json`, keeps retracted briefs, marked so.)
fn events(site: &Site, listing: Listing) -> Vec<&ResolvedBrief> {
    listing.briefs(site).into_iter().filter(|b| !b.is_retracted()).collect()
}

/// The GeoJSON download of a listing: one feature per event, with its
/// point where the brief has coordinates.
pub fn geojson(site: &Site, listing: Listing, w: &mut dyn Write) -> io::Result<()> {
    geojson_file(site, &super::publish::link_base(&site.config), &events(site, listing), w)
}

/// The whole model as JSON. Compact: at 100,000 briefs, indentation alone
/// would add tens of megabytes.
pub fn incidents_json(site: &Site, w: &mut dyn Write) -> io::Result<()> {
    json_to(w, &site.briefs)
}

/// Writes `value` as compact JSON to `w` through a buffer: serde_json
/// writes a token at a time, and each write to `w` (a `dyn Write` that
/// also hashes what it is given) would cost a call of its own.
fn json_to(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer(&mut buffered, value).map_err(io::Error::other)?;
    buffered.flush()
}

fn csv_file(site: &Site, base: &str, briefs: &[&ResolvedBrief], w: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(w);
    writer.write_record(COLUMNS.iter().map(|(name, _)| *name))?;
    writer.write_record(COLUMNS.iter().map(|(_, tag)| *tag))?;
    for b in briefs {
        writer.serialize(record(site, b, base).for_spreadsheets())?;
    }
    writer.flush()
}

/// Made one feature at a time as it is written: a whole site's features
/// are never held.
struct FeatureCollection<'a> {
    site: &'a Site,
    base: &'a str,
    briefs: &'a [&'a ResolvedBrief],
}

impl Serialize for FeatureCollection<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let features = Features(self);
        let mut collection = serializer.serialize_struct("FeatureCollection", 2)?;
        collection.serialize_field("type", "FeatureCollection")?;
        collection.serialize_field("features", &features)?;
        collection.end()
    }
}

struct Features<'a>(&'a FeatureCollection<'a>);

impl Serialize for Features<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let FeatureCollection { site, base, briefs } = self.0;
        serializer.collect_seq(briefs.iter().map(|b| Feature {
            r#type: "Feature",
            id: &b.slug,
            geometry: b.coordinates.map(|c| Geometry { r#type: "Point", coordinates: [c.lon, c.lat] }),
            properties: record(site, b, base),
        }))
    }
}

#[derive(Serialize)]
struct Feature<'a> {
    r#type: &'static str,
    id: &'a str,
    /// `null` for a brief whose place has no coordinates (RFC 7946, 3.2):
    /// the download holds every event, and GIS tools draw those that have
    /// a point.
    geometry: Option<Geometry>,
    properties: Record<'a>,
}

#[derive(Serialize)]
struct Geometry {
    r#type: &'static str,
    /// RFC 7946 order: longitude, latitude.
    coordinates: [f64; 2],
}

fn geojson_file(site: &Site, base: &str, briefs: &[&ResolvedBrief], w: &mut dyn Write) -> io::Result<()> {
    json_to(w, &FeatureCollection { site, base, briefs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_plain_text() {
        for formula in ["=HYPERLINK(\"https://e.org\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(plain_cell(Cow::Borrowed(formula)), format!("'{formula}"));
        }
        for plain in ["Niger", "12 killed", "", "a=b"] {
            assert_eq!(plain_cell(Cow::Borrowed(plain)), plain);
        }
    }
}
