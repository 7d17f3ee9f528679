//! Model stage: the incident brief. `RawBrief` is the front-matter contract
//! as written; `Brief` is the validated, typed record every later stage
//! (pages, indices, feeds, data downloads) reads.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::country::{self, Aliases, Country};
use super::fields::{self, FileDiagnostics, Named, ShortOrFull, Shorthand, named_enum, parse_date};
use super::outlines;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::SourceFile;

/// The front-matter keys of a brief. Kept beside `RawBrief`; a unit test
/// checks the two agree.
pub const FIELDS: &[&str] = &[
    "title",
    "date",
    "end_date",
    "country",
    "summary",
    "date_precision",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "location_aliases",
    "coordinates",
    "geo_precision",
    "event_type",
    "sub_event_type",
    "armed_groups",
    "targets",
    "fatalities",
    "injured",
    "sources",
    "tags",
    "status",
    "retraction",
    "published",
    "updated",
    "updates",
    "draft",
    "slug",
    "aliases",
    "extra",
];

/// The front matter of an incident brief (sitrep).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(title = "sitrep brief", extend("required" = ["title", "date", "country"]))]
pub(crate) struct RawBrief {
    /// One-line headline. Required.
    title: Option<String>,
    /// Incident date: YYYY-MM-DD, or an RFC 3339 time. Required; not in the future.
    #[schemars(schema_with = "fields::date_schema")]
    date: Option<String>,
    /// The last day of an event that lasted several: on or after `date`, not in the future.
    #[schemars(schema_with = "fields::date_schema")]
    end_date: Option<String>,
    /// Country: English name, or ISO 3166-1 alpha-2 (NE) or alpha-3 (NER) code, any case. Required.
    #[schemars(example = &"NE", example = &"Niger")]
    country: Option<String>,
    /// One-sentence standfirst, used in lists, feeds and the meta description.
    summary: Option<String>,
    /// How exact `date` is (ACLED time_precision 1, 2, 3). Default: day.
    #[schemars(schema_with = "fields::names_schema::<DatePrecision>")]
    date_precision: Option<String>,
    /// First-level region, ideally its ISO 3166-2 name (Tillabéri).
    admin1: Option<String>,
    /// Second-level administrative area (ACLED's admin2: a department, a district).
    admin2: Option<String>,
    /// Third-level administrative area (ACLED's admin3: a commune, a sub-district).
    admin3: Option<String>,
    /// Place name.
    location: Option<String>,
    /// Other spellings of the place name.
    location_aliases: Vec<String>,
    /// WGS 84 decimal degrees.
    coordinates: Option<Coordinates>,
    /// How exact the place is (ACLED geo_precision 1, 2, 3). Default: exact.
    #[schemars(schema_with = "fields::names_schema::<GeoPrecision>")]
    geo_precision: Option<String>,
    /// One of ACLED's six event types.
    #[schemars(schema_with = "fields::names_schema::<EventType>")]
    event_type: Option<String>,
    /// Free text, e.g. Armed clash.
    sub_event_type: Option<String>,
    /// Groups involved: a name, alias or slug from the registry, or {group, attribution}.
    armed_groups: Vec<ShortOrFull<RawGroupRef>>,
    /// Other actors targeted.
    targets: Vec<String>,
    /// People killed: a number (the best estimate), or {best, low, high, breakdown, claims}.
    fatalities: Option<ShortOrFull<RawFatalities>>,
    /// People injured.
    #[schemars(range(min = 0))]
    injured: Option<i64>,
    /// Where the facts come from: a name, or {name, url, date}.
    sources: Vec<ShortOrFull<RawSource>>,
    tags: Vec<String>,
    /// Default: provisional.
    #[schemars(schema_with = "fields::names_schema::<Status>")]
    status: Option<String>,
    /// Why and when the brief was retracted (with `status: retracted`).
    retraction: Option<RawRetraction>,
    /// Publication date (default: the incident date).
    #[schemars(schema_with = "fields::date_schema")]
    published: Option<String>,
    /// Last update; not before `published`.
    #[schemars(schema_with = "fields::date_schema")]
    updated: Option<String>,
    /// Revision log, shown on the page.
    updates: Vec<RawUpdate>,
    /// Left out of the site unless built with --drafts.
    draft: bool,
    /// The brief's address (/briefs/<slug>/); default: the file name.
    slug: Option<String>,
    /// Old addresses that redirect here, e.g. /old/path/.
    aliases: Vec<String>,
    /// Free-form fields for custom templates.
    extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGroupRef {
    /// A name, alias or slug of a group in the registry.
    group: String,
    /// Default: attributed.
    #[schemars(schema_with = "fields::names_schema::<Attribution>")]
    attribution: Option<String>,
}

impl Shorthand for RawGroupRef {
    const EXPECTING: &'static str = "a group name, or a mapping `{group: NAME, attribution: claimed}`";
    fn short_schema() -> schemars::Schema {
        schemars::json_schema!({"type": "string", "description": "A name, alias or slug of a group in the registry."})
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(RawGroupRef { group: text.to_string(), attribution: None })
    }
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFatalities {
    best: Option<i64>,
    low: Option<i64>,
    high: Option<i64>,
    #[serde(default)]
    breakdown: Vec<RawBreakdown>,
    #[serde(default)]
    claims: Vec<RawClaim>,
}

impl Shorthand for RawFatalities {
    const EXPECTING: &'static str = "a whole number, or a mapping `{best: 12, low: 10, high: 12}`";
    fn short_schema() -> schemars::Schema {
        schemars::json_schema!({"type": "integer", "minimum": 0, "description": "The best estimate."})
    }
    fn from_number(best: i64) -> Result<Self, String> {
        Ok(RawFatalities { best: Some(best), ..RawFatalities::default() })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBreakdown {
    count: i64,
    who: Option<String>,
    cause: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    count: i64,
    who: Option<String>,
    by: String,
    date: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: String,
    url: Option<String>,
    /// A saved copy of the page, e.g. on the Wayback Machine.
    archive_url: Option<String>,
    /// What kind of source it is.
    #[schemars(schema_with = "fields::names_schema::<SourceKind>")]
    kind: Option<String>,
    date: Option<String>,
}

impl Shorthand for RawSource {
    const EXPECTING: &'static str = "a source name, or a mapping `{name: Reuters, url: https://..., date: 2023-09-28}`";
    fn short_schema() -> schemars::Schema {
        schemars::json_schema!({"type": "string", "description": "The source's name."})
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(RawSource { name: text.to_string(), url: None, archive_url: None, kind: None, date: None })
    }
}

/// A retraction notice: `{date: 2023-06-01, reason: ...}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRetraction {
    #[schemars(schema_with = "fields::date_schema")]
    date: String,
    reason: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawUpdate {
    date: String,
    note: String,
}

named_enum!(
    /// How exact `date` is (ACLED's `time_precision` 1, 2, 3).
    DatePrecision { Day = "day", Week = "week", Month = "month" }
);

named_enum!(
    /// How exact the place is (ACLED's `geo_precision` 1, 2, 3).
    GeoPrecision { Exact = "exact", Near = "near", Region = "region" }
);

named_enum!(
    /// ACLED's six event types.
    EventType {
        Battles = "battles",
        ExplosionsRemoteViolence = "explosions-remote-violence",
        ViolenceAgainstCivilians = "violence-against-civilians",
        Protests = "protests",
        Riots = "riots",
        StrategicDevelopments = "strategic-developments",
    }
);

named_enum!(
    /// How a group is tied to an incident.
    Attribution { Claimed = "claimed", Attributed = "attributed", Suspected = "suspected" }
);

named_enum!(
    /// What kind of source a source is.
    SourceKind {
        Official = "official",
        Media = "media",
        Ngo = "ngo",
        Un = "un",
        Social = "social",
        Local = "local",
    }
);

named_enum!(
    /// Whether the facts are settled.
    Status { Provisional = "provisional", Confirmed = "confirmed", Retracted = "retracted" }
);

impl DatePrecision {
    /// ACLED's numeric code.
    pub fn acled_code(self) -> u8 {
        match self {
            DatePrecision::Day => 1,
            DatePrecision::Week => 2,
            DatePrecision::Month => 3,
        }
    }
}

impl EventType {
    /// ACLED's label for the type.
    pub fn label(self) -> &'static str {
        match self {
            EventType::Battles => "Battles",
            EventType::ExplosionsRemoteViolence => "Explosions/Remote violence",
            EventType::ViolenceAgainstCivilians => "Violence against civilians",
            EventType::Protests => "Protests",
            EventType::Riots => "Riots",
            EventType::StrategicDevelopments => "Strategic developments",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// An armed group as a brief names it, before the registry is consulted.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRef {
    /// The name as the brief wrote it.
    pub name: String,
    pub attribution: Attribution,
    pub pos: Pos,
}

/// An armed group a brief names, resolved against the registry during
/// assembly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedGroup {
    /// The name as the brief wrote it (shared by every brief that writes it so).
    pub name: Arc<str>,
    /// The registry group it is.
    pub slug: Arc<str>,
    pub attribution: Attribution,
}

/// A brief as the site shows it: the brief as written, and its armed groups
/// resolved against the registry (each once, in the order named). Reads
/// as the brief it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedBrief {
    #[serde(flatten)]
    pub brief: Arc<Brief>,
    /// Shared by the brief's copies in every edition.
    #[serde(rename = "armed_groups")]
    pub groups: Arc<[ResolvedGroup]>,
    /// The `extra` fields `site.yaml` publishes (`publish_extra`): what
    /// feeds and data downloads carry. Templates see all of `extra`.
    #[serde(rename = "extra")]
    pub published_extra: BTreeMap<String, serde_json::Value>,
    /// The language its words are in, when it is not the edition's: a
    /// brief not translated into a translated edition's language, which
    /// that edition lists under its original title and links to the
    /// original's page. (Shared by every such copy.)
    #[serde(skip)]
    pub text_language: Option<Arc<str>>,
    /// On a translated edition, what its copy was made from: the original
    /// and the translation, if any (a preview's rebuild reuses the copy
    /// while both are the same).
    #[serde(skip)]
    pub made_from: Option<(Arc<Brief>, Option<Arc<super::translation::Translation>>)>,
    /// The country's name in the edition's language, on a translated
    /// edition's copy of a brief not translated: that copy is the original
    /// brief itself (shared, not copied), whose `country` is named in the
    /// original's language. See [`ResolvedBrief::country_name`].
    #[serde(skip)]
    pub country_in_language: Option<&'static str>,
}

impl ResolvedBrief {
    /// The brief's country's name in its edition's language: what lists,
    /// maps and feeds show (not `country.name`, which on a translated
    /// edition's copy of a brief not translated is the original's).
    pub fn country_name(&self) -> &'static str {
        self.country_in_language.unwrap_or(self.brief.country.name)
    }
}

impl std::ops::Deref for ResolvedBrief {
    type Target = Brief;
    fn deref(&self) -> &Brief {
        &self.brief
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fatalities {
    /// The figure every total uses.
    pub best: u64,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub breakdown: Vec<Breakdown>,
    /// Stated by a party, unverified, never summed.
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub count: u64,
    pub who: Option<String>,
    pub cause: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub count: u64,
    pub who: Option<String>,
    pub by: String,
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
    /// A saved copy of the page (on the Wayback Machine, archive.today...).
    pub archive_url: Option<String>,
    pub kind: Option<SourceKind>,
    pub date: Option<NaiveDate>,
}

/// Why and when a brief was retracted. The brief keeps its page, with the
/// notice above its text, and its place in the archive; it leaves every
/// total, index and data download.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retraction {
    pub date: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    pub date: NaiveDate,
    pub note: String,
}

/// A validated incident brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub slug: String,
    /// The Markdown file, relative to the site root.
    pub source_path: String,
    pub title: String,
    pub summary: Option<String>,
    pub date: NaiveDate,
    pub date_precision: DatePrecision,
    pub country: Country,
    pub admin1: Option<String>,
    /// The ISO 3166-2 code of `admin1`, when it names one (`NE-6`).
    pub admin1_code: Option<&'static str>,
    pub location: Option<String>,
    pub coordinates: Option<Coordinates>,
    pub geo_precision: GeoPrecision,
    pub event_type: Option<EventType>,
    /// As written; the site's copy resolved is [`ResolvedBrief::groups`].
    pub armed_groups: Vec<GroupRef>,
    pub fatalities: Option<Fatalities>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
    pub status: Status,
    pub published: NaiveDate,
    pub draft: bool,
    /// The fields most briefs leave empty.
    pub rare: Rare,
    /// The Markdown body.
    pub body: super::text::Text,
    pub body_line: usize,
    /// Every link and image address in the body, with its byte offset,
    /// found when the brief was read (for the link check).
    pub body_links: super::text::Addresses,
    /// Where the slug comes from: the `slug:` line, or the top of the file.
    pub slug_pos: Pos,
}

/// The fields of a brief that most briefs leave empty, apart: see [`Rare`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RareFields {
    /// Set when `date` was written as a full RFC 3339 time.
    pub date_time: Option<DateTime<FixedOffset>>,
    /// The last day of an event that lasted several (`date` is the first).
    pub end_date: Option<NaiveDate>,
    /// Second- and third-level administrative areas (ACLED's admin2, admin3).
    pub admin2: Option<String>,
    pub admin3: Option<String>,
    pub location_aliases: Vec<String>,
    pub sub_event_type: Option<String>,
    pub targets: Vec<String>,
    pub injured: Option<u64>,
    pub retraction: Option<Retraction>,
    pub updated: Option<NaiveDate>,
    pub updates: Vec<Update>,
    pub aliases: Vec<String>,
    /// Free-form fields for the site's own templates; private unless
    /// `site.yaml` publishes them (see [`ResolvedBrief::published_extra`]).
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// None of the rare fields: what a brief without them reads.
static NO_RARE_FIELDS: RareFields = RareFields {
    date_time: None,
    end_date: None,
    admin2: None,
    admin3: None,
    location_aliases: Vec::new(),
    sub_event_type: None,
    targets: Vec::new(),
    injured: None,
    retraction: None,
    updated: None,
    updates: Vec::new(),
    aliases: Vec::new(),
    extra: BTreeMap::new(),
};

/// A brief's rare fields, read as [`RareFields`]: one pointer, and no
/// allocation for a brief that has none of them (they would make every
/// `Brief` 300 bytes larger: 30 MB at 100,000 briefs).
#[derive(Debug, Clone, Default)]
pub struct Rare(Option<Box<RareFields>>);

impl Rare {
    pub fn new(fields: RareFields) -> Rare {
        Rare((fields != NO_RARE_FIELDS).then(|| Box::new(fields)))
    }
}

impl std::ops::Deref for Rare {
    type Target = RareFields;
    fn deref(&self) -> &RareFields {
        self.0.as_deref().unwrap_or(&NO_RARE_FIELDS)
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Rare) -> bool {
        **self == **other
    }
}

/// A brief as templates and the data downloads see it: its fields in the
/// order they are written in, the rare ones among them (empty ones as
/// `null` or `[]`); its body, links and groups as written are not
/// there (a page's view has its body rendered, and the groups resolved).
impl Serialize for Brief {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let rare = &*self.rare;
        let mut b = serializer.serialize_struct("Brief", 31)?;
        b.serialize_field("slug", &self.slug)?;
        b.serialize_field("source_path", &self.source_path)?;
        b.serialize_field("title", &self.title)?;
        b.serialize_field("summary", &self.summary)?;
        b.serialize_field("date", &self.date)?;
        b.serialize_field("date_time", &rare.date_time)?;
        b.serialize_field("end_date", &rare.end_date)?;
        b.serialize_field("date_precision", &self.date_precision)?;
        b.serialize_field("country", &self.country)?;
        b.serialize_field("admin1", &self.admin1)?;
        b.serialize_field("admin1_code", &self.admin1_code)?;
        b.serialize_field("admin2", &rare.admin2)?;
        b.serialize_field("admin3", &rare.admin3)?;
        b.serialize_field("location", &self.location)?;
        b.serialize_field("location_aliases", &rare.location_aliases)?;
        b.serialize_field("coordinates", &self.coordinates)?;
        b.serialize_field("geo_precision", &self.geo_precision)?;
        b.serialize_field("event_type", &self.event_type)?;
        b.serialize_field("sub_event_type", &rare.sub_event_type)?;
        b.serialize_field("targets", &rare.targets)?;
        b.serialize_field("fatalities", &self.fatalities)?;
        b.serialize_field("injured", &rare.injured)?;
        b.serialize_field("sources", &self.sources)?;
        b.serialize_field("tags", &self.tags)?;
        b.serialize_field("status", &self.status)?;
        b.serialize_field("retraction", &rare.retraction)?;
        b.serialize_field("published", &self.published)?;
        b.serialize_field("updated", &rare.updated)?;
        b.serialize_field("updates", &rare.updates)?;
        b.serialize_field("draft", &self.draft)?;
        b.serialize_field("aliases", &rare.aliases)?;
        b.end()
    }
}

impl Brief {
    /// The count every total adds up: the best estimate, or nothing.
    pub fn best_fatalities(&self) -> u64 {
        self.fatalities.as_ref().map_or(0, |f| f.best)
    }

    /// Whether the brief was retracted (it then counts in nothing).
    pub fn is_retracted(&self) -> bool {
        self.status == Status::Retracted
    }

    /// Whether a site is assembled alike from this brief and `other`, its
    /// next version, but for where the brief stands in the order: the same
    /// file, slug, status, best estimate, country, groups as written (and
    /// where), aliases, draft state, extra fields and day of its last change
    /// after publishing, if any; the date may differ (and with it the day
    /// of publishing, which follows it unless set). Every list, total, group index and translation
    /// check then comes out as before once the brief is put in its place
    /// by date ([`super::Site::redate_brief`]), and what differs (the text,
    /// title, sources, place...) shows only where the brief itself does.
    /// Anything [`super::assemble`] reads of a brief must be compared here:
    /// a preview relies on it to skip assembling the site again after such
    /// an edit.
    pub fn assembles_like_but_for_date(&self, other: &Brief) -> bool {
        self.source_path == other.source_path
            && self.slug == other.slug
            && self.slug_pos == other.slug_pos
            && self.status == other.status
            && self.best_fatalities() == other.best_fatalities()
            && self.country == other.country
            && self.armed_groups == other.armed_groups
            && self.rare.aliases == other.rare.aliases
            && self.draft == other.draft
            && self.rare.extra == other.rare.extra
            && self.changed_after_publishing() == other.changed_after_publishing()
    }

    /// The last time the brief changed, if that was after the day it was
    /// published (what its translations are checked against).
    pub fn changed_after_publishing(&self) -> Option<NaiveDate> {
        Some(self.last_modified()).filter(|&day| day > self.published)
    }

    /// The last time the brief changed: `updated`, the newest revision, or `published`.
    pub fn last_modified(&self) -> NaiveDate {
        let newest_update = self.rare.updates.iter().map(|u| u.date).max();
        let retracted = self.rare.retraction.as_ref().map(|r| r.date);
        [Some(self.published), self.rare.updated, newest_update, retracted]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.published)
    }
}

/// The JSON Schema of a brief's front matter, generated from the types that
/// read it, for editors' YAML tools (completion, validation).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawBrief);
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}

/// The most armed groups one brief may name. Incidents involve a handful;
/// every group a brief names gets the brief on its page and in its feed,
/// each listing every group the brief names, so the work grows with the
/// square of this number.
pub const MAX_GROUPS_PER_BRIEF: usize = 50;

/// Validates one brief's front matter. Returns the brief when it has no
/// errors, and every problem found either way.
pub fn parse_brief(file: &SourceFile, today: NaiveDate, countries: &Aliases) -> (Option<Brief>, Vec<Diagnostic>) {
    let mut d = FileDiagnostics::new(file, countries);
    let raw: RawBrief = fields::read_front(&mut d, FIELDS, "a brief");
    let brief = validate(&mut d, raw, today);
    let brief = if d.has_errors() { None } else { brief };
    (brief, d.list)
}

/// How far outside its country a brief's point may fall before `check`
/// says so, by how exact the place is: the outlines are Natural Earth's
/// 1:50m, a few kilometres off along borders and coasts.
fn border_tolerance_km(precision: GeoPrecision) -> f64 {
    match precision {
        GeoPrecision::Exact => 10.0,
        GeoPrecision::Near => 25.0,
        GeoPrecision::Region => 100.0,
    }
}

/// Warns when coordinates fall outside the brief's country (by more than
/// the tolerance of their precision), and says so when swapping latitude
/// and longitude would put them inside.
fn check_inside(d: &mut FileDiagnostics, country: &Country, c: Coordinates, precision: GeoPrecision) {
    let in_range = |c: Coordinates| (-90.0..=90.0).contains(&c.lat) && (-180.0..=180.0).contains(&c.lon);
    let Some(outline) = outlines::of(country).filter(|_| in_range(c)) else { return };
    if outline.contains(c.lon, c.lat) {
        return;
    }
    let km = outline.distance_km(c.lon, c.lat);
    let tolerance = border_tolerance_km(precision);
    if km <= tolerance {
        return;
    }
    let swapped = Coordinates { lat: c.lon, lon: c.lat };
    let help = if in_range(swapped) && outline.contains(swapped.lon, swapped.lat) {
        format!(
            "latitude and longitude look swapped: `{{lat: {}, lon: {}}}` is in {}",
            swapped.lat, swapped.lon, country.name
        )
    } else {
        format!(
            "check the coordinates (WGS 84: `{{lat: ..., lon: ...}}`) and the country; with `geo_precision: {}` a point may be up to {tolerance:.0} km outside its country's outline",
            precision.name()
        )
    };
    d.warning(
        Code::OutsideCountry,
        "coordinates",
        format!("the coordinates (lat {}, lon {}) are {km:.0} km outside {}", c.lat, c.lon, country.name),
        Some(help),
    );
}

fn validate(d: &mut FileDiagnostics, raw: RawBrief, today: NaiveDate) -> Option<Brief> {
    let front = &d.file.front;
    let title =
        required_text(d, raw.title, "title", "a one-line headline, e.g. `title: Twelve soldiers killed at Kandadji`");
    let date = match raw.date {
        Some(text) => date_field(d, "date", &text, today),
        None => {
            if !front.contains("date") {
                d.error_at_start(
                    Code::MissingField,
                    "missing required field `date`",
                    Some("add the incident date, e.g. `date: 2023-09-28`".into()),
                );
            }
            None
        }
    };
    let country = match raw.country.as_deref().map(str::trim) {
        Some("") | None => {
            missing(d, "country", "add the country, e.g. `country: Niger` or `country: NE`");
            None
        }
        Some(text) => fields::country_field(d, "country", text),
    };

    let admin1 = non_empty(raw.admin1);
    let admin1_code = match (&country, &admin1) {
        (Some(c), Some(region)) => match country::subdivision(c, region) {
            Ok(code) => code,
            Err(help) => {
                let message = format!("`{region}` is not an ISO 3166-2 region of {}", c.name);
                d.warning(Code::UnknownAdmin1, "admin1", message, Some(help));
                None
            }
        },
        _ => None,
    };

    let date_precision = enum_field(d, "date_precision", raw.date_precision.as_deref()).unwrap_or(DatePrecision::Day);
    let geo_precision = enum_field(d, "geo_precision", raw.geo_precision.as_deref()).unwrap_or(GeoPrecision::Exact);
    let event_type = enum_field::<EventType>(d, "event_type", raw.event_type.as_deref());
    let status = enum_field(d, "status", raw.status.as_deref()).unwrap_or(Status::Provisional);

    if let Some(c) = raw.coordinates {
        if !(c.lat.is_finite() && (-90.0..=90.0).contains(&c.lat)) {
            d.error(Code::CoordinatesOutOfRange, "coordinates.lat", format!("latitude {} is outside -90 to 90", c.lat), Some("coordinates are WGS 84 decimal degrees: `{lat: 14.62, lon: 1.06}`; check lat and lon are not swapped".into()));
        }
        if !(c.lon.is_finite() && (-180.0..=180.0).contains(&c.lon)) {
            d.error(
                Code::CoordinatesOutOfRange,
                "coordinates.lon",
                format!("longitude {} is outside -180 to 180", c.lon),
                Some("coordinates are WGS 84 decimal degrees: `{lat: 14.62, lon: 1.06}`".into()),
            );
        }
        if let Some(country) = &country {
            check_inside(d, country, c, geo_precision);
        }
    }

    if raw.armed_groups.len() > MAX_GROUPS_PER_BRIEF {
        d.error(
            Code::TooManyGroups,
            "armed_groups",
            format!(
                "this brief names {} armed groups; a brief may name at most {MAX_GROUPS_PER_BRIEF}",
                raw.armed_groups.len()
            ),
            Some("name the groups involved in this incident; list others in the text".into()),
        );
    }
    let armed_groups = raw
        .armed_groups
        .into_iter()
        .take(MAX_GROUPS_PER_BRIEF)
        .enumerate()
        .filter_map(|(i, ShortOrFull(g))| {
            let path = format!("armed_groups.{i}");
            let name = g.group.trim().to_string();
            if name.is_empty() {
                d.error(Code::EmptyValue, &path, "empty armed group name", Some("remove the empty entry".into()));
                return None;
            }
            let attribution = enum_field(d, &format!("{path}.attribution"), g.attribution.as_deref())
                .unwrap_or(Attribution::Attributed);
            Some(GroupRef { name, attribution, pos: d.file.front.value_pos(&path) })
        })
        .collect();

    let fatalities = raw.fatalities.and_then(|ShortOrFull(f)| fatalities_field(d, f, today));
    let injured = raw.injured.and_then(|n| count(d, "injured", n));

    let sources = raw
        .sources
        .into_iter()
        .enumerate()
        .filter_map(|(i, ShortOrFull(s))| {
            let path = format!("sources.{i}");
            if s.name.trim().is_empty() {
                d.error(
                    Code::EmptyValue,
                    &path,
                    "a source needs a name",
                    Some("e.g. `{name: Reuters, url: https://...}`".into()),
                );
                return None;
            }
            for (key, url) in [("url", &s.url), ("archive_url", &s.archive_url)] {
                if let Some(url) = url
                    && !(url.starts_with("https://") || url.starts_with("http://"))
                {
                    d.error(
                        Code::InvalidUrl,
                        &format!("{path}.{key}"),
                        format!("`{url}` is not a web address"),
                        Some(format!("a source's `{key}` starts with https:// or http://")),
                    );
                }
            }
            let kind = enum_field(d, &format!("{path}.kind"), s.kind.as_deref());
            let date = s.date.as_deref().and_then(|t| day_field(d, &format!("{path}.date"), t, today));
            Some(Source { name: s.name.trim().to_string(), url: s.url, archive_url: s.archive_url, kind, date })
        })
        .collect();

    let retraction = match (status, raw.retraction) {
        (Status::Retracted, Some(r)) => {
            let date = day_field(d, "retraction.date", &r.date, today);
            if r.reason.trim().is_empty() {
                d.error(Code::EmptyValue, "retraction.reason", "a retraction needs its reason", None);
            }
            date.map(|date| Retraction { date, reason: r.reason.trim().to_string() })
        }
        // (A notice of the wrong shape was reported as such already.)
        (Status::Retracted, None) if !d.misshapen.iter().any(|k| k == "retraction") => {
            d.error(
                Code::MissingField,
                "status",
                "a retracted brief needs a `retraction` notice",
                Some("add `retraction: {date: 2023-06-01, reason: What was wrong.}`".into()),
            );
            None
        }
        (_, Some(_)) => {
            d.error(
                Code::InvalidField,
                "retraction",
                "`retraction` is for briefs with `status: retracted`",
                Some("set `status: retracted`, or remove the notice".into()),
            );
            None
        }
        (_, None) => None,
    };
    let end_date = raw.end_date.as_deref().and_then(|t| day_field(d, "end_date", t, today));
    if let (Some(end), Some((start, _))) = (end_date, date)
        && end < start
    {
        d.error(
            Code::EndBeforeDate,
            "end_date",
            format!("`end_date` ({end}) is before `date` ({start})"),
            Some("`date` is the first day of the event and `end_date` the last; check both".into()),
        );
    }
    let published = raw.published.as_deref().and_then(|t| day_field(d, "published", t, today));
    let updated = raw.updated.as_deref().and_then(|t| day_field(d, "updated", t, today));
    let updates: Vec<Update> = raw
        .updates
        .into_iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let date = day_field(d, &format!("updates.{i}.date"), &u.date, today)?;
            if u.note.trim().is_empty() {
                d.error(
                    Code::EmptyValue,
                    &format!("updates.{i}.note"),
                    "a revision needs a note saying what changed",
                    None,
                );
            }
            Some(Update { date, note: u.note.trim().to_string() })
        })
        .collect();

    let published = published.or(date.map(|(day, _)| day));
    if let (Some(published), Some(updated)) = (published, updated)
        && updated < published
    {
        d.error(
            Code::UpdatedBeforePublished,
            "updated",
            format!("`updated` ({updated}) is before `published` ({published})"),
            Some("a brief can only be updated after it is published; check both dates".into()),
        );
    }

    let slug = fields::slug_for(d, raw.slug.as_deref());
    let aliases = fields::check_aliases(d, &raw.aliases);

    let (date, date_time) = date?;
    Some(Brief {
        slug,
        source_path: d.file.path.to_string_lossy().replace('\\', "/"),
        title: title?,
        summary: non_empty(raw.summary),
        date,
        date_precision,
        country: country?,
        admin1,
        admin1_code,
        location: non_empty(raw.location),
        coordinates: raw.coordinates,
        geo_precision,
        event_type,
        armed_groups,
        fatalities,
        sources,
        tags: raw.tags,
        status,
        published: published.unwrap_or(date),
        draft: raw.draft,
        rare: Rare::new(RareFields {
            date_time,
            end_date: end_date.filter(|end| *end > date),
            admin2: non_empty(raw.admin2),
            admin3: non_empty(raw.admin3),
            location_aliases: raw.location_aliases,
            sub_event_type: non_empty(raw.sub_event_type),
            targets: raw.targets,
            injured,
            retraction,
            updated,
            updates,
            aliases,
            extra: raw.extra,
        }),
        body: Default::default(),
        body_line: d.file.body_line,
        body_links: Default::default(),
        slug_pos: if front.contains("slug") { front.value_pos("slug") } else { Pos::new(1, 1) },
    })
}

fn missing(d: &mut FileDiagnostics, key: &str, help: &str) {
    if d.file.front.contains(key) {
        d.error(Code::EmptyField, key, format!("`{key}` is empty"), Some(help.into()));
    } else {
        d.error_at_start(Code::MissingField, format!("missing required field `{key}`"), Some(help.into()));
    }
}

fn required_text(d: &mut FileDiagnostics, value: Option<String>, key: &str, help: &str) -> Option<String> {
    match non_empty(value) {
        Some(text) => Some(text),
        None => {
            // A present but badly-typed value was already reported.
            if !d.misshapen.iter().any(|k| k == key) {
                missing(d, key, help);
            }
            None
        }
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn date_field(
    d: &mut FileDiagnostics,
    path: &str,
    text: &str,
    today: NaiveDate,
) -> Option<(NaiveDate, Option<DateTime<FixedOffset>>)> {
    match parse_date(text) {
        Ok((date, time)) => {
            if date > today {
                d.error(
                    Code::DateInFuture,
                    path,
                    format!("`{}` is {date}, which is in the future", path.rsplit('.').next().unwrap_or(path)),
                    Some(format!("today is {today}; check the year and the month")),
                );
            }
            Some((date, time))
        }
        Err(help) => {
            d.error(Code::InvalidDate, path, format!("`{text}` is not a date"), Some(help));
            None
        }
    }
}

/// A date field where only the day matters.
fn day_field(d: &mut FileDiagnostics, path: &str, text: &str, today: NaiveDate) -> Option<NaiveDate> {
    date_field(d, path, text, today).map(|(day, _)| day)
}

fn enum_field<T: Named + PartialEq>(d: &mut FileDiagnostics, path: &str, text: Option<&str>) -> Option<T> {
    let text = text?;
    match T::parse(text) {
        Ok(v) => Some(v),
        Err(help) => {
            let key = path.rsplit('.').next().unwrap_or(path);
            d.error(Code::UnknownValue, path, format!("unknown {key} `{text}`"), Some(help));
            None
        }
    }
}

/// The largest number of people one brief may count: more than any single
/// incident has had, and far from where sums over thousands of briefs
/// could overflow.
pub const MAX_COUNT: u64 = 10_000_000;

fn count(d: &mut FileDiagnostics, path: &str, n: i64) -> Option<u64> {
    match u64::try_from(n) {
        Ok(n) if n > MAX_COUNT => {
            d.error(
                Code::NegativeCount,
                path,
                format!("{n} is more people than one incident can count (at most {MAX_COUNT})"),
                Some("check the figure for a typing mistake".into()),
            );
            None
        }
        Ok(n) => Some(n),
        Err(_) => {
            d.error(
                Code::NegativeCount,
                path,
                format!("a count cannot be negative (found {n})"),
                Some("write the number of people, e.g. `12`; if it is unknown, leave the field out".into()),
            );
            None
        }
    }
}

fn fatalities_field(d: &mut FileDiagnostics, f: RawFatalities, today: NaiveDate) -> Option<Fatalities> {
    let Some(best) = f.best else {
        d.error(
            Code::MissingField,
            "fatalities",
            "`fatalities` needs `best`, the figure totals use",
            Some("add `best:`, e.g. `{best: 12, low: 10, high: 12}`".into()),
        );
        return None;
    };
    let (best_path, low_path, high_path) =
        if d.file.front.value_pos("fatalities.best") != d.file.front.value_pos("fatalities") {
            ("fatalities.best", "fatalities.low", "fatalities.high")
        } else {
            ("fatalities", "fatalities", "fatalities")
        };
    let best = count(d, best_path, best);
    let low = f.low.and_then(|n| count(d, low_path, n));
    let high = f.high.and_then(|n| count(d, high_path, n));
    if let (Some(low), Some(best)) = (low, best)
        && low > best
    {
        d.error(
            Code::FatalitiesRange,
            low_path,
            format!("`low` ({low}) is greater than `best` ({best})"),
            Some("the figures must satisfy low <= best <= high".into()),
        );
    }
    if let (Some(high), Some(best)) = (high, best)
        && best > high
    {
        d.error(
            Code::FatalitiesRange,
            high_path,
            format!("`high` ({high}) is less than `best` ({best})"),
            Some("the figures must satisfy low <= best <= high".into()),
        );
    }
    let breakdown: Vec<Breakdown> = f
        .breakdown
        .into_iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let count = count(d, &format!("fatalities.breakdown.{i}.count"), b.count)?;
            Some(Breakdown { count, who: non_empty(b.who), cause: non_empty(b.cause) })
        })
        .collect();
    let claims = f
        .claims
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let path = format!("fatalities.claims.{i}");
            let count = count(d, &format!("{path}.count"), c.count)?;
            let date = c.date.as_deref().and_then(|t| day_field(d, &format!("{path}.date"), t, today));
            Some(Claim { count, who: non_empty(c.who), by: c.by.trim().to_string(), date })
        })
        .collect();
    let best = best?;
    let sum: u64 = breakdown.iter().fold(0u64, |sum, b| sum.saturating_add(b.count));
    if !breakdown.is_empty() && sum != best {
        d.warning(
            Code::BreakdownMismatch,
            "fatalities.breakdown",
            format!("the breakdown adds up to {sum}, but `best` is {best}"),
            Some("make the parts add up to the best estimate, or explain the gap in the text".into()),
        );
    }
    Some(Fatalities { best, low, high, breakdown, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_field_is_accepted_and_no_other() {
        for field in FIELDS {
            let value = match *field {
                "draft" => "false",
                "coordinates" => "{lat: 1, lon: 2}",
                "fatalities" | "injured" => "1",
                "extra" => "{}",
                "retraction" => "{date: 2023-01-01, reason: x}",
                f if f.ends_with('s') && f != "status" => "[]",
                _ => "x",
            };
            let yaml = format!("{field}: {value}");
            let map = crate::load::yaml::parse_mapping(&yaml, 2).unwrap();
            map.deserialize_entry::<RawBrief>(field).unwrap_or_else(|e| panic!("{field}: {e}"));
        }
        let map = crate::load::yaml::parse_mapping("titel: x", 2).unwrap();
        assert!(map.deserialize_entry::<RawBrief>("titel").is_err());
    }

    #[test]
    fn rare_fields_take_room_only_when_set_and_read_the_same_either_way() {
        assert!(Rare::new(RareFields::default()).0.is_none(), "no allocation for a brief without rare fields");
        let set = Rare::new(RareFields { injured: Some(3), ..RareFields::default() });
        assert!(set.0.is_some());
        assert_eq!((set.injured, set.admin2.as_deref()), (Some(3), None));
        assert_eq!(Rare::default(), Rare(Some(Box::default())), "equal by what they hold, not by how");
    }
}
