//! Synthetic sites for tests and benchmarks: N generated briefs over 30 real
//! countries and 200 invented armed groups. Every brief says it is
//! synthetic; none describes a real event. Generation is deterministic for a
//! given seed, and returns a record of what was written so that tests can
//! compute the expected indices on their own.

use std::fmt::Write as _;
use std::path::Path;

/// Thirty countries (ISO 3166-1 alpha-2 codes, and the names sitrep shows: CLDR's English names).
pub const COUNTRIES: [(&str, &str); 30] = [
    ("NE", "Niger"),
    ("ML", "Mali"),
    ("BF", "Burkina Faso"),
    ("NG", "Nigeria"),
    ("TD", "Chad"),
    ("CM", "Cameroon"),
    ("SO", "Somalia"),
    ("SD", "Sudan"),
    ("SS", "South Sudan"),
    ("ET", "Ethiopia"),
    ("CD", "Congo - Kinshasa"),
    ("CF", "Central African Republic"),
    ("MZ", "Mozambique"),
    ("LY", "Libya"),
    ("EG", "Egypt"),
    ("DZ", "Algeria"),
    ("SY", "Syria"),
    ("IQ", "Iraq"),
    ("YE", "Yemen"),
    ("AF", "Afghanistan"),
    ("PK", "Pakistan"),
    ("IN", "India"),
    ("MM", "Myanmar (Burma)"),
    ("PH", "Philippines"),
    ("CO", "Colombia"),
    ("MX", "Mexico"),
    ("UA", "Ukraine"),
    ("LB", "Lebanon"),
    ("KE", "Kenya"),
    ("HT", "Haiti"),
];

pub const GROUPS: usize = 200;
/// Groups 1..=PARENTS are top-level; about a third of the rest belong to one.
pub const PARENTS: usize = 20;

/// What one generated brief says, for computing expected indices.
#[derive(Debug, Clone)]
pub struct GenBrief {
    pub slug: String,
    pub title: String,
    /// `YYYY-MM-DD`, which sorts as dates do.
    pub date: String,
    pub country: &'static str,
    pub best: u64,
    /// Group slugs named (each once).
    pub groups: Vec<String>,
    /// (latitude, longitude), inside the country; four briefs in five have them.
    pub coordinates: Option<(f64, f64)>,
    /// `exact`, `near` or `region`.
    pub geo_precision: &'static str,
}

#[derive(Debug, Clone)]
pub struct GenGroup {
    pub slug: String,
    pub name: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Generated {
    pub briefs: Vec<GenBrief>,
    pub groups: Vec<GenGroup>,
}

/// A small deterministic generator (SplitMix64), so that the same seed
/// gives the same site on every machine without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

pub fn group_slug(i: usize) -> String {
    format!("synthetic-group-{i:03}")
}

fn group_name(i: usize) -> String {
    format!("Synthetic Group {i:03}")
}

fn group_alias(i: usize) -> String {
    format!("SG{i:03}")
}

const WORDS: &[&str] = &[
    "synthetic",
    "report",
    "district",
    "convoy",
    "checkpoint",
    "village",
    "market",
    "patrol",
    "road",
    "witnesses",
    "officials",
    "statement",
    "casualties",
    "displaced",
    "residents",
    "morning",
    "evening",
    "attack",
    "clash",
    "forces",
    "fighters",
    "local",
    "sources",
    "hospital",
    "region",
    "border",
    "camp",
    "vehicles",
    "motorcycles",
    "toll",
    "figures",
    "confirmed",
    "provisional",
    "according",
    "said",
    "later",
    "earlier",
    "nearby",
    "town",
];

/// Writes a whole site (site.yaml, groups, briefs) under `root`.
pub fn write_site(root: &Path, briefs: usize, seed: u64) -> std::io::Result<Generated> {
    std::fs::create_dir_all(root.join("content/groups"))?;
    std::fs::write(
        root.join("site.yaml"),
        "# A synthetic site generated for tests and benchmarks. None of its briefs is real.\ntitle: Synthetic briefs\nbase_url: /\n",
    )?;
    let mut rng = Rng::new(seed);
    let mut groups = Vec::with_capacity(GROUPS);
    for i in 1..=GROUPS {
        let parent = (i > PARENTS && i % 3 == 0).then(|| group_slug(1 + i % PARENTS));
        let mut text = format!("---\nname: {}\naliases: [{}]\ntype: rebel-group\n", group_name(i), group_alias(i));
        if let Some(p) = &parent {
            // Name the parent by its alias, in lower case, to exercise lookup.
            let n: usize = p.rsplit('-').next().unwrap().parse().unwrap();
            writeln!(text, "affiliation: {}", group_alias(n).to_lowercase()).unwrap();
        }
        text.push_str("---\nA synthetic armed group generated for tests. It does not exist.\n");
        std::fs::write(root.join("content/groups").join(format!("{}.md", group_slug(i))), text)?;
        groups.push(GenGroup { slug: group_slug(i), name: group_name(i), parent });
    }

    let mut out = Vec::with_capacity(briefs);
    // Places come from a generator of their own, so that the rest of the
    // site is the same as before briefs had coordinates.
    let mut places = Rng::new(seed.wrapping_add(1));
    for n in 1..=briefs {
        let (code, country_name) = *rng.pick(&COUNTRIES);
        // Dates from 2015-01-01 over about ten years, before the tests' "today".
        let date = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + chrono::Days::new(rng.below(3650));
        let date = date.format("%Y-%m-%d").to_string();
        let slug = format!("synthetic-{n:05}");
        let title = format!("Synthetic incident {n:05} in {country_name}");
        let mut named: Vec<usize> = Vec::new();
        for _ in 0..rng.below(4) {
            let g = 1 + rng.below(GROUPS as u64) as usize;
            if !named.contains(&g) {
                named.push(g);
            }
        }
        let best = rng.below(120);
        let mut front = format!(
            "---\ntitle: {title}\ndate: {date}\ncountry: {}\n",
            if n % 2 == 0 { code.to_string() } else { country_name.to_lowercase() }
        );
        writeln!(front, "summary: A synthetic brief generated for testing; it describes no real event.").unwrap();
        if !named.is_empty() {
            front.push_str("armed_groups:\n");
            for (k, g) in named.iter().enumerate() {
                // Vary how groups are named: slug, name in capitals, alias, mapping.
                let reference = match (n + k) % 4 {
                    0 => group_slug(*g),
                    1 => group_name(*g).to_uppercase(),
                    2 => group_alias(*g),
                    _ => format!("{{group: {}, attribution: suspected}}", group_name(*g)),
                };
                writeln!(front, "  - {reference}").unwrap();
            }
        }
        if n % 3 == 0 {
            writeln!(front, "fatalities:\n  best: {best}\n  low: {}\n  high: {}\n  claims: [{{count: {}, by: Synthetic spokesman}}]", best / 2, best + 10, best * 3 + 1).unwrap();
        } else {
            writeln!(front, "fatalities: {best}").unwrap();
        }
        writeln!(
            front,
            "event_type: {}",
            ["battles", "violence-against-civilians", "explosions-remote-violence"][n % 3]
        )
        .unwrap();
        writeln!(front, "sources: [{{name: Synthetic Wire, url: \"https://example.org/{n}\", date: {date}}}]").unwrap();
        let geo_precision = ["exact", "near", "region", "exact", "exact"][n % 5];
        let coordinates = if n % 5 == 0 { None } else { point_in(code, &mut places) };
        if let Some((lat, lon)) = coordinates {
            writeln!(front, "coordinates: {{lat: {lat}, lon: {lon}}}\ngeo_precision: {geo_precision}").unwrap();
        }
        front.push_str("---\n");
        front.push_str(&body(&mut rng, briefs, code));
        let dir = root.join("content/briefs").join(&date[..4]);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{slug}.md")), front)?;
        out.push(GenBrief {
            slug,
            title,
            date,
            country: code,
            best,
            groups: named.into_iter().map(group_slug).collect(),
            coordinates,
            geo_precision,
        });
    }
    Ok(Generated { briefs: out, groups })
}

/// A random point inside a country's outline (as sitrep's maps and checks
/// draw it), in thousandths of a degree; `None` if a few hundred tries miss.
fn point_in(code: &str, rng: &mut Rng) -> Option<(f64, f64)> {
    let country = sitrep::model::country::by_alpha2(code)?;
    let outline = sitrep::model::outlines::of(&country)?;
    let b = outline.bounds;
    let mut within = |low: f64, high: f64| low + (high - low) * (rng.below(1_000_000) as f64 / 1_000_000.0);
    for _ in 0..500 {
        let (lat, lon) = (within(b.south, b.north), within(b.west, b.east));
        let (lat, lon) = ((lat * 1000.0).round() / 1000.0, (lon * 1000.0).round() / 1000.0);
        if outline.contains(lon, lat) && outline.distance_km(lon, lat) > 1.0 {
            return Some((lat, lon));
        }
    }
    None
}

/// 300 to 600 words with headings, lists, emphasis and links to other pages.
fn body(rng: &mut Rng, total: usize, code: &str) -> String {
    let mut text = String::from("This is a synthetic brief generated for testing. It describes no real event.\n\n");
    let target = 300 + rng.below(300) as usize;
    let mut words = 14;
    let mut section = 0;
    while words < target {
        if words > 60 * (section + 1) {
            section += 1;
            writeln!(text, "\n## Synthetic section {section}\n").unwrap();
        }
        let sentence_len = 8 + rng.below(12) as usize;
        let mut sentence: Vec<String> = (0..sentence_len).map(|_| rng.pick(WORDS).to_string()).collect();
        sentence[0] = "Synthetic".into();
        // Some emphasis, as editors write it.
        match rng.below(8) {
            0 => sentence[1] = format!("*{}*", sentence[1]),
            1 => sentence[2] = format!("**{}**", sentence[2]),
            _ => {}
        }
        writeln!(text, "{}.", sentence.join(" ")).unwrap();
        words += sentence_len;
        if rng.below(6) == 0 {
            let other = 1 + rng.below(total as u64) as usize;
            writeln!(text, "\nSee also [synthetic brief {other}](/briefs/synthetic-{other:05}/) and the [country page](/countries/{}/).\n", code.to_lowercase()).unwrap();
            words += 9;
        }
        if rng.below(10) == 0 {
            text.push_str("\n- first synthetic point\n- second synthetic point\n- third synthetic point\n\n");
            words += 9;
        }
    }
    text
}
