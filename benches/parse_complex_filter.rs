//! Parsing a filter with every construct an identity provider might send:
//! `and`, `or`, `not`, grouping, a value path and a dotted attribute
//! (RFC 7644 §3.4.2.2); and the one-comparison filter sent before every
//! create. Target: under 2 µs.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

#[allow(dead_code)] // each bench uses some of the workloads
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use workloads::{COMPLEX_FILTER, USER_NAME_FILTER};

fn filters(c: &mut Criterion) {
    assert!(
        scim::filter::parse(COMPLEX_FILTER).is_ok(),
        "the complex filter does not parse"
    );

    let mut group = c.benchmark_group("filter");
    group.bench_function("parse_complex", |b| {
        b.iter(|| scim::filter::parse(black_box(COMPLEX_FILTER)));
    });
    group.bench_function("parse_user_name_eq", |b| {
        b.iter(|| scim::filter::parse(black_box(USER_NAME_FILTER)));
    });
    group.finish();
}

criterion_group!(benches, filters);
criterion_main!(benches);
