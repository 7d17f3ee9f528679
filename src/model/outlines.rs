//! Country outlines for maps and for checking coordinates: Natural Earth's
//! 1:50m countries (public domain), converted by `scripts/world-outlines.mjs`
//! from the world-atlas package into `world-50m.bin`, which the binary
//! embeds and decodes once, when first needed. Points are kept in
//! thousandths of a degree.

use std::sync::OnceLock;

use super::country::Country;

const DATA: &[u8] = include_bytes!("world-50m.bin");

/// A point in thousandths of a degree: (longitude, latitude).
pub type Point = (i32, i32);

/// Polygons, each its outer ring then its holes.
pub type Polygons = Vec<Vec<Vec<Point>>>;

/// Longitude and latitude bounds, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    pub fn around(lon: f64, lat: f64) -> Bounds {
        Bounds { west: lon, south: lat, east: lon, north: lat }
    }

    pub fn union(self, other: Bounds) -> Bounds {
        Bounds {
            west: self.west.min(other.west),
            south: self.south.min(other.south),
            east: self.east.max(other.east),
            north: self.north.max(other.north),
        }
    }

    pub fn intersects(self, other: Bounds) -> bool {
        self.west <= other.east && other.west <= self.east && self.south <= other.north && other.south <= self.north
    }

    fn contains(self, lon: f64, lat: f64) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }
}

/// One country (or territory) of the data.
#[derive(Debug)]
pub struct Outline {
    /// ISO 3166-1 numeric code; `None` for the few the data gives none
    /// (Kosovo, Somaliland, Northern Cyprus...).
    pub numeric: Option<u16>,
    /// Natural Earth's short name ("Niger", "Kosovo").
    pub name: String,
    pub polygons: Polygons,
    pub bounds: Bounds,
}

fn degrees(thousandths: i32) -> f64 {
    f64::from(thousandths) / 1000.0
}

impl Outline {
    /// Whether a point lies inside (even-odd rule over each polygon's rings).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        if !self.bounds.contains(lon, lat) {
            return false;
        }
        let (x, y) = (lon * 1000.0, lat * 1000.0);
        self.polygons.iter().any(|rings| {
            let mut inside = false;
            for ring in rings {
                for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
                    let (ax, ay, bx, by) = (f64::from(a.0), f64::from(a.1), f64::from(b.0), f64::from(b.1));
                    if (ay > y) != (by > y) && x < ax + (y - ay) * (bx - ax) / (by - ay) {
                        inside = !inside;
                    }
                }
            }
            inside
        })
    }

    /// The distance from a point to the nearest edge, in kilometres
    /// (on a sphere, with longitudes shrunk by the cosine of the latitude:
    /// close enough at the few tens of kilometres this is used for).
    pub fn distance_km(&self, lon: f64, lat: f64) -> f64 {
        const KM_PER_DEGREE: f64 = 111.2;
        let shrink = lat.to_radians().cos();
        let project = |p: &Point| (degrees(p.0) * shrink, degrees(p.1));
        let (px, py) = (lon * shrink, lat);
        let mut nearest = f64::INFINITY;
        for ring in self.polygons.iter().flatten() {
            for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
                let ((ax, ay), (bx, by)) = (project(a), project(b));
                let (dx, dy) = (bx - ax, by - ay);
                let length = dx * dx + dy * dy;
                let t = if length == 0.0 { 0.0 } else { (((px - ax) * dx + (py - ay) * dy) / length).clamp(0.0, 1.0) };
                let (cx, cy) = (ax + t * dx - px, ay + t * dy - py);
                nearest = nearest.min(cx * cx + cy * cy);
            }
        }
        nearest.sqrt() * KM_PER_DEGREE
    }
}

/// Every outline of the data.
pub fn all() -> &'static [Outline] {
    static OUTLINES: OnceLock<Vec<Outline>> = OnceLock::new();
    OUTLINES.get_or_init(|| decode(DATA).expect("the embedded outlines are well formed"))
}

/// The grids, in thousandths of a degree, that [`coarse`] snaps to.
pub const GRIDS: [i32; 5] = [1, 10, 50, 200, 1000];

/// The polygons of every outline (in the order of [`all`]) with each point
/// snapped to a grid of `GRIDS[level]` thousandths of a degree and repeats
/// dropped: a map of a continent needs a few points where a map of a
/// district needs thousands. Made once per level, when first needed.
pub fn coarse(level: usize) -> &'static [Polygons] {
    static LEVELS: [OnceLock<Vec<Polygons>>; GRIDS.len()] = [const { OnceLock::new() }; GRIDS.len()];
    let grid = GRIDS[level];
    LEVELS[level].get_or_init(|| {
        let snap = |v: i32| (v as f64 / grid as f64).round() as i32 * grid;
        all()
            .iter()
            .map(|o| {
                o.polygons
                    .iter()
                    .map(|rings| {
                        rings
                            .iter()
                            .map(|ring| {
                                let mut kept: Vec<Point> = ring.iter().map(|p| (snap(p.0), snap(p.1))).collect();
                                kept.dedup();
                                kept
                            })
                            .filter(|ring| ring.len() >= 3)
                            .collect()
                    })
                    .collect()
            })
            .collect()
    })
}

/// The outline of a country, if the data has one.
pub fn of(country: &Country) -> Option<&'static Outline> {
    all().iter().find(|o| match country.numeric {
        Some(n) => o.numeric == Some(n),
        // Kosovo has no ISO numeric code; the data names it.
        None => o.numeric.is_none() && country.code == "XK" && o.name == "Kosovo",
    })
}

/// A reader of the format `scripts/world-outlines.mjs` writes (described
/// there).
struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&byte, tail) = self.rest.split_first()?;
        self.rest = tail;
        Some(byte)
    }

    /// An unsigned LEB128 number.
    fn number(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    /// A zigzag-encoded difference.
    fn difference(&mut self) -> Option<i32> {
        let n = self.number()?;
        let magnitude = i64::try_from(n >> 1).ok()?;
        i32::try_from(if n & 1 == 0 { magnitude } else { -magnitude - 1 }).ok()
    }
}

fn decode(bytes: &[u8]) -> Option<Vec<Outline>> {
    let mut r = Reader { rest: bytes.strip_prefix(b"SRW1")? };
    let count = r.count()?;
    let mut outlines = Vec::with_capacity(count);
    for _ in 0..count {
        let numeric = u16::try_from(r.number()?).ok()?;
        let name_length = r.count()?;
        let name = String::from_utf8(r.rest.get(..name_length)?.to_vec()).ok()?;
        r.rest = &r.rest[name_length..];
        let mut polygons = Vec::new();
        let mut bounds: Option<Bounds> = None;
        for _ in 0..r.count()? {
            let mut rings = Vec::new();
            for _ in 0..r.count()? {
                let mut ring = Vec::new();
                let (mut x, mut y) = (0i32, 0i32);
                for _ in 0..r.count()? {
                    x = x.checked_add(r.difference()?)?;
                    y = y.checked_add(r.difference()?)?;
                    ring.push((x, y));
                    let here = Bounds::around(degrees(x), degrees(y));
                    bounds = Some(bounds.map_or(here, |b| b.union(here)));
                }
                rings.push(ring);
            }
            polygons.push(rings);
        }
        outlines.push(Outline { numeric: (numeric != 0).then_some(numeric), name, polygons, bounds: bounds? });
    }
    r.rest.is_empty().then_some(outlines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::country;

    fn outline(name: &str) -> &'static Outline {
        of(&country::lookup(name).expect("a country")).expect("an outline")
    }

    #[test]
    fn the_embedded_data_decodes_whole() {
        let all = all();
        assert_eq!(all.len(), 241);
        assert!(all.iter().all(|o| !o.polygons.is_empty()));
    }

    #[test]
    fn points_are_inside_their_country_and_out_of_others() {
        // Niamey, Bamako, Ouagadougou, and Kosovo's Pristina.
        assert!(outline("Niger").contains(2.11, 13.51));
        assert!(outline("Mali").contains(-8.0, 12.64));
        assert!(outline("Burkina Faso").contains(-1.53, 12.37));
        assert!(outline("XK").contains(21.17, 42.66));
        assert!(!outline("Niger").contains(-8.0, 12.64));
        // A hole: Lesotho inside South Africa.
        assert!(outline("Lesotho").contains(28.2, -29.6));
        assert!(!outline("South Africa").contains(28.2, -29.6));
    }

    #[test]
    fn distances_to_a_border_are_about_right() {
        // Bamako is some 1,000 km from Niger's nearest edge.
        let niger = outline("Niger");
        let d = niger.distance_km(-8.0, 12.64);
        assert!((700.0..1300.0).contains(&d), "{d}");
        // A tenth of a degree of latitude (11 km) from one of its corners:
        // at most that far, and more than nothing.
        let corner = niger.polygons[0][0][0];
        let d = niger.distance_km(degrees(corner.0), degrees(corner.1) + 0.1);
        assert!((0.5..=11.2).contains(&d), "{d}");
    }
}
