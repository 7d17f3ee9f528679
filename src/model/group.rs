//! Model stage: the armed-group registry (`content/groups/*.md`): names,
//! aliases, affiliations, and the lookup that turns whatever a brief wrote
//! into one group.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::country::{Aliases, Country};
use super::fields::{self, FileDiagnostics, Named, named_enum};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::SourceFile;
use crate::suggest;

pub const FIELDS: &[&str] = &["name", "full_name", "aliases", "affiliation", "type", "active_in", "extra"];

/// The front matter of an armed group in the registry (sitrep).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(title = "sitrep armed group", extend("required" = ["name"]))]
struct RawGroup {
    /// The usual name. Required.
    name: Option<String>,
    /// The full name, if the usual one is short.
    full_name: Option<String>,
    /// Other names and abbreviations; briefs may use any of them, in any case.
    aliases: Vec<String>,
    /// The group this one belongs to (its name, alias or slug).
    affiliation: Option<String>,
    /// The kind of actor.
    #[serde(rename = "type")]
    #[schemars(schema_with = "fields::names_schema::<GroupType>")]
    kind: Option<String>,
    /// Countries it is active in (names or ISO codes).
    active_in: Vec<String>,
    /// Free-form fields for custom templates.
    extra: BTreeMap<String, serde_json::Value>,
}

/// The JSON Schema of a group file's front matter.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawGroup);
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}

named_enum!(
    /// The kind of actor, after ACLED's actor types.
    GroupType {
        StateForces = "state-forces",
        RebelGroup = "rebel-group",
        PoliticalMilitia = "political-militia",
        IdentityMilitia = "identity-militia",
        Other = "other",
    }
);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub slug: String,
    pub name: String,
    pub full_name: Option<String>,
    pub aliases: Vec<String>,
    /// The slug of the group this one belongs to.
    pub affiliation: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<GroupType>,
    pub active_in: Vec<Country>,
    pub extra: BTreeMap<String, serde_json::Value>,
    /// False for a name briefs used that no registry file defines.
    pub registered: bool,
    pub source_path: Option<String>,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
}

/// Where each group's names were written, for messages about clashes.
#[derive(Debug, Default)]
pub struct Registry {
    pub groups: BTreeMap<String, Group>,
    /// Normalized name, alias or slug → group slug.
    lookup: HashMap<String, String>,
}

/// Names compare without case, accents, punctuation or extra spaces.
fn normalize(name: &str) -> String {
    slug::slugify(name)
}

impl Registry {
    /// The slug of the group `name` refers to, if the registry knows it.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        self.lookup.get(&normalize(name)).map(String::as_str)
    }

    /// Names close to `name` among the registered groups, for a "did you
    /// mean" hint. Unregistered names are not offered: they are what is
    /// being warned about, and comparing each with all the others would
    /// make thousands of them take quadratic time.
    pub fn suggest(&self, name: &str) -> Option<String> {
        let names = self
            .groups
            .values()
            .filter(|g| g.registered)
            .flat_map(|g| std::iter::once(g.name.as_str()).chain(g.aliases.iter().map(String::as_str)));
        suggest::did_you_mean(name, names)
    }

    /// Adds a group a brief named that no registry file defines.
    pub fn add_unregistered(&mut self, name: &str) -> String {
        let slug = normalize(name);
        self.groups.entry(slug.clone()).or_insert_with(|| Group {
            slug: slug.clone(),
            name: name.to_string(),
            full_name: None,
            aliases: Vec::new(),
            affiliation: None,
            kind: None,
            active_in: Vec::new(),
            extra: BTreeMap::new(),
            registered: false,
            source_path: None,
            body: String::new(),
            body_line: 1,
        });
        self.lookup.insert(slug.clone(), slug.clone());
        slug
    }

    /// The chain of groups `slug` belongs to, nearest first.
    pub fn ancestors(&self, slug: &str) -> Vec<&str> {
        let mut chain = Vec::new();
        let mut current = self.groups.get(slug).and_then(|g| g.affiliation.as_deref());
        while let Some(parent) = current {
            if chain.contains(&parent) || parent == slug {
                break;
            }
            chain.push(parent);
            current = self.groups.get(parent).and_then(|g| g.affiliation.as_deref());
        }
        chain
    }
}

/// Reads every registry file and checks names, aliases and affiliations.
pub fn build_registry(files: &[&SourceFile], countries: &Aliases) -> (Registry, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut registry = Registry::default();
    // Where each normalized name was first claimed: (slug, file, position).
    let mut claimed: HashMap<String, (String, PathBuf, Pos)> = HashMap::new();
    let mut affiliations: Vec<(String, String, PathBuf, Pos)> = Vec::new();

    for file in files {
        let mut d = FileDiagnostics::new(file, countries);
        let raw: RawGroup = fields::read_front(&mut d, FIELDS, "a group");
        let slug = fields::slug_for(&mut d, None);
        let name = match raw.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) {
            Some(name) => name,
            None => {
                d.error_at_start(
                    Code::MissingField,
                    "missing required field `name`",
                    Some("add the group's usual name, e.g. `name: JNIM`".into()),
                );
                diagnostics.extend(d.list);
                continue;
            }
        };
        let kind = raw.kind.as_deref().and_then(|t| match GroupType::parse(t) {
            Ok(k) => Some(k),
            Err(help) => {
                d.error(Code::UnknownValue, "type", format!("unknown type `{t}`"), Some(help));
                None
            }
        });
        let active_in = raw
            .active_in
            .iter()
            .enumerate()
            .filter_map(|(i, c)| fields::country_field(&mut d, &format!("active_in.{i}"), c))
            .collect();

        let mut names: Vec<(String, String)> = vec![(slug.clone(), "slug".into()), (normalize(&name), "name".into())];
        for (i, alias) in raw.aliases.iter().enumerate() {
            names.push((normalize(alias), format!("aliases.{i}")));
        }
        if let Some(full) = &raw.full_name {
            names.push((normalize(full), "full_name".into()));
        }
        for (key, path) in names {
            if key.is_empty() {
                continue;
            }
            match claimed.get(&key) {
                Some((owner, _, _)) if *owner == slug => {}
                Some((owner, other_file, other_pos)) => {
                    let pos = file.front.value_pos(&path);
                    d.list.push(
                        Diagnostic::error(
                            Code::GroupNameClash,
                            &file.path,
                            pos,
                            format!("the name `{key}` also belongs to group `{owner}`"),
                        )
                        .with_help("a name or alias may point to one group only; remove it from one of the files")
                        .with_related(other_file, *other_pos),
                    );
                }
                None => {
                    claimed.insert(key.clone(), (slug.clone(), file.path.clone(), file.front.value_pos(&path)));
                }
            }
        }
        if let Some(parent) = raw.affiliation.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            affiliations.push((
                slug.clone(),
                parent.to_string(),
                file.path.clone(),
                file.front.value_pos("affiliation"),
            ));
        }
        diagnostics.extend(d.list);
        registry.groups.insert(
            slug.clone(),
            Group {
                slug,
                name,
                full_name: raw.full_name,
                aliases: raw.aliases,
                affiliation: None,
                kind,
                active_in,
                extra: raw.extra,
                registered: true,
                source_path: Some(file.path.to_string_lossy().replace('\\', "/")),
                body: file.body.clone(),
                body_line: file.body_line,
            },
        );
    }
    registry.lookup = claimed.into_iter().map(|(name, (slug, _, _))| (name, slug)).collect();

    // Where each `affiliation:` line is, for messages about loops.
    let mut affiliation_at: HashMap<String, (PathBuf, Pos)> = HashMap::new();
    for (slug, parent, path, pos) in affiliations {
        affiliation_at.insert(slug.clone(), (path.clone(), pos));
        match registry.resolve(&parent).map(str::to_string) {
            Some(parent_slug) if parent_slug == slug => diagnostics.push(
                Diagnostic::error(Code::AffiliationCycle, &path, pos, "a group cannot be affiliated with itself")
                    .with_help("name the group this one belongs to, or remove `affiliation`"),
            ),
            Some(parent_slug) => {
                if let Some(g) = registry.groups.get_mut(&slug) {
                    g.affiliation = Some(parent_slug);
                }
            }
            None => {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownAffiliation,
                        &path,
                        pos,
                        format!("affiliation `{parent}` is not a group in the registry"),
                    )
                    .with_optional_help(registry.suggest(&parent).or_else(|| {
                        Some(format!("add content/groups/{}.md with `name: {parent}`", normalize(&parent)))
                    })),
                )
            }
        }
    }
    // A cycle of two or more groups would make roll-ups count forever.
    for slug in registry.groups.keys() {
        let mut seen = vec![slug.as_str()];
        let mut current = registry.groups[slug].affiliation.as_deref();
        while let Some(parent) = current {
            if parent == slug {
                let (file, pos) = affiliation_at.get(slug).cloned().unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(
                        Code::AffiliationCycle,
                        file,
                        pos,
                        format!("affiliations loop: {} → {parent}", seen.join(" → ")),
                    )
                    .with_help("one group in the loop must not name another as its affiliation"),
                );
                break;
            }
            if seen.contains(&parent) {
                break;
            }
            seen.push(parent);
            current = registry.groups.get(parent).and_then(|g| g.affiliation.as_deref());
        }
    }
    (registry, diagnostics)
}
