mod common;
#[test]
fn brief() {
    let src = std::fs::read_to_string("/tmp/t.tf").unwrap();
    let c = common::check_src(&src);
    for d in &c.diagnostics {
        println!(
            "{} {:?} {} | {} | {:?} {:?}",
            d.code,
            &src[d.primary.span.start as usize..d.primary.span.end as usize],
            d.message,
            d.primary.message,
            d.secondary.iter().map(|l| &l.message).collect::<Vec<_>>(),
            d.notes
        );
    }
    for s in &c.signatures {
        println!("{}", s.text);
    }
    for r in &c.runtime_checks {
        println!(
            "check {:?}: {}",
            &src[r.span.start as usize..r.span.end as usize],
            r.description
        );
    }
}
