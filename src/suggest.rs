//! "Did you mean ...?": the nearest known names to a misspelt one.

/// Up to `max` candidates close to `input`, nearest first. Comparison
/// ignores case; a candidate qualifies when at most about a third of its
/// characters differ, so `contry` finds `country` but `x` finds nothing.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<&'a str> {
    let needle = input.trim().to_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let distance = strsim::levenshtein(&needle, &c.to_lowercase());
            let allowed = (c.chars().count().max(needle.chars().count()) / 3).max(1);
            (distance <= allowed).then_some((distance, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// `did you mean `a` or `b`?`, or nothing when there is no close name.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let found = nearest(input, candidates, 3);
    match found.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => {
            let quoted: Vec<String> = many.iter().map(|c| format!("`{c}`")).collect();
            let (last, rest) = quoted.split_last().expect("at least two");
            Some(format!("did you mean {} or {last}?", rest.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_misspelt_key() {
        assert_eq!(nearest("contry", ["country", "title", "date"], 3), vec!["country"]);
    }

    #[test]
    fn ignores_distant_names() {
        assert!(nearest("zzz", ["country", "title"], 3).is_empty());
    }

    #[test]
    fn lists_several_close_names() {
        assert_eq!(did_you_mean("Nigerr", ["Niger", "Nigeria", "Chad"]).unwrap(), "did you mean `Niger` or `Nigeria`?");
    }
}
