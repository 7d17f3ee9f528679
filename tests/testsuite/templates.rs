//! A site's own templates replace the built-in ones of the same name;
//! template mistakes are reported with the template's name and stop the build.

use crate::harness::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic X\ndate: 2023-01-01\ncountry: NE\nextra: {desk: west}\n---\nBody.\n",
    );
    site
}

#[test]
fn a_site_template_replaces_the_built_in_one_of_that_name_only() {
    let site = site();
    site.file(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block main %}<h1 class=\"custom\">{{ brief.title }} for the {{ brief.extra.desk }} desk</h1>{% endblock main %}",
    );
    site.build().success();
    let brief = site.page("briefs/x/index.html");
    assert_eq!(brief.text("h1.custom"), "Synthetic X for the west desk");
    // base.html is still the built-in one, and other pages are untouched.
    assert_eq!(brief.attrs("link[rel=stylesheet]", "href"), ["/style.css"]);
    assert_eq!(site.page("countries/ne/index.html").text("h1"), "Niger");
}

#[test]
fn a_site_stylesheet_replaces_the_built_in_one_and_static_files_are_copied() {
    let site = site();
    site.file("static/style.css", "body { color: rebeccapurple; }\n");
    site.file("static/img/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    site.build().success();
    assert_eq!(site.read("style.css"), "body { color: rebeccapurple; }\n");
    assert_eq!(site.read("img/map.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
}

#[test]
fn template_errors_name_the_template_and_write_nothing() {
    let site = site();
    site.file("templates/page.html", "{% extends \"base.html\" %}{% block main %}{{ page.title }{% endblock main %}");
    let stderr = site.build().problems();
    assert!(!site.public().exists());
    insta::assert_snapshot!(stderr);
}

#[test]
fn rendering_errors_name_the_page_being_rendered() {
    let site = site();
    site.file("templates/brief.html", "{{ brief.no_such_field }}");
    let stderr = site.build().problems();
    assert!(stderr.contains("brief.html"), "{stderr}");
    assert!(stderr.contains("briefs/x/index.html"), "{stderr}");
}

#[test]
fn anchors_in_templates_and_raw_html_count_however_their_ids_are_quoted() {
    let site = site();
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ body_html | safe }}<section id='team'>Team</section><p id=contact>Contact</p>{% endblock main %}",
    );
    site.file("content/about.md", "---\ntitle: About\n---\n<div id='raw-html'>Raw HTML in Markdown.</div>\n");
    site.file(
        "content/briefs/y.md",
        "---\ntitle: Synthetic Y\ndate: 2023-01-02\ncountry: NE\n---\n[team](/about/#team) [contact](/about/#contact) [raw](/about/#raw-html)\n",
    );
    site.check().success();
    site.file(
        "content/briefs/y.md",
        "---\ntitle: Synthetic Y\ndate: 2023-01-02\ncountry: NE\n---\n[team](/about/#teams)\n",
    );
    let problems = site.check().problems();
    assert!(problems.contains("error[broken-anchor]: `#teams` is not an anchor on /about/"), "{problems}");
    assert!(problems.contains("did you mean `team`"), "{problems}");
}
