// Converts the country outlines of Natural Earth (1:50m, public domain), as
// the world-atlas npm package carries them (TopoJSON), into the compact file
// sitrep embeds for its maps and checks: src/model/world-50m.bin. Run it again only
// to change the data:
//
//   npm ci && node scripts/world-outlines.mjs
//
// The file: "SRW1", then unsigned LEB128 numbers: the count of countries,
// and for each its ISO 3166-1 numeric code (0 for none), the length and
// bytes of its name (UTF-8), its count of polygons, and for each polygon
// its count of rings (the outer ring first, then holes), and for each ring
// its count of points and the points: longitude and latitude in
// thousandths of a degree, each as the zigzag-encoded difference from the
// point before (from 0 for a ring's first point).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
const countries = feature(topology, topology.objects.countries).features;

const bytes = [];
const number = (n) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a count: ${n}`);
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte += 128;
    bytes.push(byte);
  } while (n > 0);
};
const signed = (n) => number(n >= 0 ? n * 2 : -n * 2 - 1);

let points = 0;
bytes.push(...Buffer.from('SRW1'));
number(countries.length);
for (const country of countries) {
  number(country.id ? Number(country.id) : 0);
  const name = Buffer.from(country.properties.name, 'utf8');
  number(name.length);
  bytes.push(...name);
  const geometry = country.geometry;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  number(polygons.length);
  for (const rings of polygons) {
    number(rings.length);
    for (const ring of rings) {
      // Thousandths of a degree, without the repeats that rounding makes.
      const kept = [];
      for (const [lon, lat] of ring) {
        const point = [Math.round(lon * 1000), Math.round(lat * 1000)];
        const last = kept[kept.length - 1];
        if (!last || last[0] !== point[0] || last[1] !== point[1]) kept.push(point);
      }
      number(kept.length);
      let [x, y] = [0, 0];
      for (const [px, py] of kept) {
        signed(px - x);
        signed(py - y);
        [x, y] = [px, py];
      }
      points += kept.length;
    }
  }
}

const out = fileURLToPath(new URL('../src/model/world-50m.bin', import.meta.url));
writeFileSync(out, Buffer.from(bytes));
console.log(`${out}: ${countries.length} countries, ${points} points, ${bytes.length} bytes`);
