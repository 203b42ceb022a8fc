//! Filters (RFC 7644 §3.4.2.2) and `sortBy` (§3.4.2.3) as SQL over the `SQLite`
//! store's `resources AS r`: exact where SQL can say precisely what the core's
//! evaluator says, a superset ("candidates") elsewhere.
//!
//! The SQL text is built from fixed fragments and column names chosen from a
//! fixed list; every value, and every JSON path, is a bound parameter.
//!
//! Exactness rests on these rules of the core's evaluator: a comparison with
//! an attribute that has no value is false (but see `ne` below); strings of
//! `caseExact: false` attributes compare after `str::to_lowercase`, others
//! as written, byte by byte; `dateTime` values compare as instants. `ne` on
//! an attribute that may be absent, `pr`, and every comparison `SQLite` cannot
//! lowercase as Rust does (non-ASCII text read from the JSON body) give
//! candidates, and the caller re-evaluates those with `crate::filter::matches`.

use super::stamp;
use super::Kind;
use crate::datetime;
use crate::filter::{AttrPath, CompValue, CompareOp, Filter};
use crate::schema::{AttrType, Attribute, Registry, ResourceType};
use rusqlite::types::Value as SqlValue;
use std::sync::LazyLock;

/// A filter as a boolean SQL expression over `resources AS r`.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The expression; `1` when no part of the filter could be translated.
    pub sql: String,
    /// The values of its `?` placeholders, in order.
    pub params: Vec<SqlValue>,
    /// `true`: a resource satisfies `sql` exactly when it matches the filter.
    /// `false`: every match satisfies `sql`, and so may resources that do not
    /// match.
    pub exact: bool,
}

/// Translates `filter` on resources of `kind`.
#[must_use]
pub fn translate(filter: &Filter, kind: Kind, registry: &Registry) -> Translation {
    let part = match registry.resource_type(kind.as_str()) {
        Some(rt) => Context { kind, registry, rt }.filter(filter),
        None => Part::any(),
    };
    Translation {
        sql: part.sql.unwrap_or_else(|| "1".to_owned()),
        params: part.params,
        exact: part.exact,
    }
}

/// The `ORDER BY` terms sorting resources of `kind` by `sort_by` (RFC 7644
/// §3.4.2.3: `caseExact: false` strings without regard to case; resources
/// without a value last when ascending, first when descending), then by
/// creation so that pages are stable. `None` when the attribute has no
/// column to sort on; the caller then sorts.
#[must_use]
pub fn order_by(
    sort_by: &AttrPath,
    descending: bool,
    kind: Kind,
    registry: &Registry,
) -> Option<String> {
    let rt = registry.resource_type(kind.as_str())?;
    let column = match column(kind, registry, rt, sort_by)? {
        Column::Text { expr, .. } | Column::Time(expr) => expr,
    };
    let (direction, nulls) = if descending {
        ("DESC", "FIRST")
    } else {
        ("ASC", "LAST")
    };
    Some(format!("{column} {direction} NULLS {nulls}, r.rid ASC"))
}

/// The stable order used without `sortBy`: creation order.
pub const CREATION_ORDER: &str = "r.rid ASC";

/// A translated piece: `sql` `None` means "no condition" (true).
struct Part {
    sql: Option<String>,
    params: Vec<SqlValue>,
    exact: bool,
}

impl Part {
    /// No condition, as a superset: the piece could not be translated.
    fn any() -> Self {
        Self {
            sql: None,
            params: Vec::new(),
            exact: false,
        }
    }

    /// No condition, exactly: every resource matches.
    fn all() -> Self {
        Self {
            sql: None,
            params: Vec::new(),
            exact: true,
        }
    }

    fn new(sql: String, params: Vec<SqlValue>, exact: bool) -> Self {
        Self {
            sql: Some(sql),
            params,
            exact,
        }
    }

    fn and(mut self, other: Self) -> Self {
        let exact = self.exact && other.exact;
        let sql = match (self.sql, other.sql) {
            (Some(a), Some(b)) => Some(format!("({a} AND {b})")),
            (a, b) => a.or(b),
        };
        self.params.extend(other.params);
        Self {
            sql,
            params: self.params,
            exact,
        }
    }

    fn or(mut self, other: Self) -> Self {
        match (self.sql, other.sql) {
            (Some(a), Some(b)) => {
                self.params.extend(other.params);
                Self::new(
                    format!("({a} OR {b})"),
                    self.params,
                    self.exact && other.exact,
                )
            }
            (None, _) if self.exact => Self::all(),
            (_, None) if other.exact => Self::all(),
            _ => Self::any(),
        }
    }

    /// Negation is exact only of an exact piece, whose SQL is never NULL;
    /// the negation of a superset says nothing.
    fn not(self) -> Self {
        match self.sql {
            _ if !self.exact => Self::any(),
            None => Self::new("0".to_owned(), Vec::new(), true),
            Some(sql) => Self::new(format!("(NOT {sql})"), self.params, true),
        }
    }
}

/// Where a value of a filtered attribute lives.
#[derive(Clone, Copy)]
enum Column {
    /// A text column. `folded`: it holds the value lowercased, and is compared
    /// with a lowercased operand. `always`: never NULL.
    Text {
        expr: &'static str,
        folded: bool,
        always: bool,
    },
    /// A timestamp column in `datetime::format_millis` form, never NULL.
    Time(&'static str),
}

/// An attribute inside a JSON document.
struct Json<'a> {
    /// The SQL expression of the document.
    doc: &'static str,
    /// The JSON path, bound as a parameter.
    path: String,
    attribute: &'a Attribute,
}

/// How a membership's other side is reached from `r`.
#[derive(Clone, Copy)]
enum Side {
    /// `r` is the group; `o` its member.
    Members,
    /// `r` is the member; `o` a group it belongs to.
    Groups,
}

impl Side {
    fn exists(self) -> &'static str {
        match self {
            Self::Members => {
                "EXISTS (SELECT 1 FROM memberships m JOIN resources o ON o.rid = m.member_rid \
                 WHERE m.group_rid = r.rid"
            }
            Self::Groups => {
                "EXISTS (SELECT 1 FROM memberships m JOIN resources o ON o.rid = m.group_rid \
                 WHERE m.member_rid = r.rid"
            }
        }
    }
}

/// Lowercase (ASCII) letters would have to differ from `str::to_lowercase`
/// for text that holds something outside printable ASCII; such text is
/// always a candidate.
const NOT_PRINTABLE_ASCII: &str = "'*[^ -~]*'";

struct Context<'a> {
    kind: Kind,
    registry: &'a Registry,
    rt: &'a ResourceType,
}

impl Context<'_> {
    fn filter(&self, filter: &Filter) -> Part {
        match filter {
            Filter::And(a, b) => self.filter(a).and(self.filter(b)),
            Filter::Or(a, b) => self.filter(a).or(self.filter(b)),
            Filter::Not(inner) => self.filter(inner).not(),
            Filter::Present(path) => self.present(path),
            Filter::Compare(path, op, value) => self.compare(path, *op, value),
            Filter::ValuePath(path, inner) => self.value_path(path, inner),
        }
    }

    fn present(&self, path: &AttrPath) -> Part {
        if path.sub_attr.is_none() && path.name.eq_ignore_ascii_case("id") && path.uri.is_none() {
            return Part::all();
        }
        if let Some(side) = self.side(path) {
            if path.sub_attr.is_none() {
                return Part::new(format!("{})", side.exists()), Vec::new(), true);
            }
        }
        if let Some(Column::Text { expr, .. }) = column(self.kind, self.registry, self.rt, path) {
            return Part::new(format!("{expr} IS NOT NULL"), Vec::new(), false);
        }
        match self.json(path) {
            Some(Json { doc, path, .. }) => Part::new(
                format!("json_type({doc}, ?) IS NOT NULL"),
                vec![path.into()],
                false,
            ),
            None => Part::any(),
        }
    }

    fn compare(&self, path: &AttrPath, op: CompareOp, value: &CompValue) -> Part {
        if let Some(column) = column(self.kind, self.registry, self.rt, path) {
            return compare_column(column, op, value);
        }
        if let (Some(side), Some(sub)) = (self.side(path), path.sub_attr.as_deref()) {
            return membership(side, &Filter::Compare(sub_path(sub), op, value.clone()));
        }
        if let Some(json) = self.json(path) {
            return compare_json(&json, op, value);
        }
        if let Some((array, attribute)) = self.multi_valued(path) {
            if let Some(sub) = path.sub_attr.as_deref() {
                return each(
                    array,
                    attribute,
                    &Filter::Compare(sub_path(sub), op, value.clone()),
                );
            }
        }
        Part::any()
    }

    fn value_path(&self, path: &AttrPath, inner: &Filter) -> Part {
        if path.sub_attr.is_some() {
            return Part::any();
        }
        if let Some(side) = self.side(path) {
            return membership(side, inner);
        }
        match self.multi_valued(path) {
            Some((array, attribute)) => each(array, attribute, inner),
            None => Part::any(),
        }
    }

    /// `members` of a Group or `groups` of a User: kept in `memberships`.
    fn side(&self, path: &AttrPath) -> Option<Side> {
        let resolved = self
            .registry
            .resolve(self.rt, path.uri.as_deref(), &path.name)?;
        if resolved.extension || resolved.schema.is_none() {
            return None;
        }
        match (self.kind, resolved.attribute.name.as_str()) {
            (Kind::Group, "members") => Some(Side::Members),
            (Kind::User, "groups") => Some(Side::Groups),
            _ => None,
        }
    }

    /// A single-valued attribute (or a sub-attribute of a single-valued
    /// complex one) in the JSON body.
    fn json(&self, path: &AttrPath) -> Option<Json<'_>> {
        let resolved = self
            .registry
            .resolve(self.rt, path.uri.as_deref(), &path.name)?;
        let top = resolved.attribute;
        if resolved.schema.is_none() || top.multi_valued {
            return None;
        }
        let mut json_path = String::from("$");
        if resolved.extension {
            json_path.push_str(&json_key(&resolved.schema?.id));
        }
        json_path.push_str(&json_key(&top.name));
        let attribute = match path.sub_attr.as_deref() {
            Some(sub) => {
                let sub = top.sub_attribute(sub)?;
                json_path.push_str(&json_key(&sub.name));
                sub
            }
            None => top,
        };
        Some(Json {
            doc: "r.body",
            path: json_path,
            attribute,
        })
    }

    /// A multi-valued complex attribute in the JSON body: its path and definition.
    fn multi_valued(&self, path: &AttrPath) -> Option<(String, &Attribute)> {
        let resolved = self
            .registry
            .resolve(self.rt, path.uri.as_deref(), &path.name)?;
        let attribute = resolved.attribute;
        if resolved.schema.is_none()
            || !attribute.multi_valued
            || attribute.sub_attributes.is_empty()
        {
            return None;
        }
        let mut json_path = String::from("$");
        if resolved.extension {
            json_path.push_str(&json_key(&resolved.schema?.id));
        }
        json_path.push_str(&json_key(&attribute.name));
        Some((json_path, attribute))
    }
}

/// The column holding `path` for resources of `kind`, if any.
fn column(kind: Kind, registry: &Registry, rt: &ResourceType, path: &AttrPath) -> Option<Column> {
    let resolved = registry.resolve(rt, path.uri.as_deref(), &path.name)?;
    if resolved.extension {
        return None;
    }
    let text = |expr, folded, always| {
        Some(Column::Text {
            expr,
            folded,
            always,
        })
    };
    match (
        kind,
        resolved.attribute.name.as_str(),
        path.sub_attr.as_deref(),
    ) {
        (_, "id", None) => text("r.id", false, true),
        (_, "externalId", None) => text("r.external_id", false, false),
        (Kind::User, "userName", None) | (Kind::Group, "displayName", None) => {
            text("r.name_lc", true, true)
        }
        (Kind::User, "displayName", None) => text("r.display_lc", true, false),
        (_, "meta", Some(sub)) if sub.eq_ignore_ascii_case("created") => {
            Some(Column::Time("r.created"))
        }
        (_, "meta", Some(sub)) if sub.eq_ignore_ascii_case("lastModified") => {
            Some(Column::Time("r.modified"))
        }
        _ => None,
    }
}

fn compare_column(column: Column, op: CompareOp, value: &CompValue) -> Part {
    match column {
        Column::Text {
            expr,
            folded,
            always,
        } => {
            let CompValue::String(text) = value else {
                return Part::any();
            };
            let operand = if folded {
                text.to_lowercase()
            } else {
                text.clone()
            };
            let guard = if always {
                String::new()
            } else {
                format!("{expr} IS NOT NULL AND ")
            };
            match op {
                CompareOp::Ne if always => {
                    Part::new(format!("{expr} <> ?"), vec![operand.into()], true)
                }
                CompareOp::Ne => Part::new(
                    format!("({expr} IS NULL OR {expr} <> ?)"),
                    vec![operand.into()],
                    false,
                ),
                CompareOp::Sw | CompareOp::Co | CompareOp::Ew => Part::new(
                    format!("({guard}{expr} GLOB ?)"),
                    vec![glob(op, &operand).into()],
                    true,
                ),
                _ => Part::new(
                    format!("({guard}{expr} {} ?)", sql_operator(op)),
                    vec![operand.into()],
                    true,
                ),
            }
        }
        Column::Time(expr) => {
            let CompValue::String(text) = value else {
                return Part::any();
            };
            let Some(millis) = stamp::parse_millis(text) else {
                return Part::any();
            };
            match op {
                CompareOp::Sw | CompareOp::Co | CompareOp::Ew => Part::any(),
                _ => Part::new(
                    format!("{expr} {} ?", sql_operator(op)),
                    vec![datetime::format_millis(millis).into()],
                    true,
                ),
            }
        }
    }
}

fn compare_json(json: &Json<'_>, op: CompareOp, value: &CompValue) -> Part {
    let Json {
        doc,
        path,
        attribute,
    } = json;
    let x = format!("json_extract({doc}, ?)");
    let path = || SqlValue::from(path.clone());
    match (attribute.attr_type, value) {
        (AttrType::String | AttrType::Reference, CompValue::String(text))
            if attribute.case_exact =>
        {
            match op {
                CompareOp::Ne => Part::new(
                    format!("({x} IS NULL OR {x} <> ?)"),
                    vec![path(), path(), text.clone().into()],
                    false,
                ),
                CompareOp::Sw | CompareOp::Co | CompareOp::Ew => Part::new(
                    format!("({x} IS NOT NULL AND {x} GLOB ?)"),
                    vec![path(), path(), glob(op, text).into()],
                    true,
                ),
                _ => Part::new(
                    format!("({x} IS NOT NULL AND {x} {} ?)", sql_operator(op)),
                    vec![path(), path(), text.clone().into()],
                    true,
                ),
            }
        }
        (AttrType::String | AttrType::Reference, CompValue::String(text)) => {
            let lowered = text.to_lowercase();
            match op {
                CompareOp::Ne => Part::new(
                    format!("({x} IS NULL OR lower({x}) <> ? OR {x} GLOB {NOT_PRINTABLE_ASCII})"),
                    vec![path(), path(), lowered.into(), path()],
                    false,
                ),
                CompareOp::Sw | CompareOp::Co | CompareOp::Ew => Part::new(
                    format!("(lower({x}) GLOB ? OR {x} GLOB {NOT_PRINTABLE_ASCII})"),
                    vec![path(), glob(op, &lowered).into(), path()],
                    false,
                ),
                _ => Part::new(
                    format!(
                        "(lower({x}) {} ? OR {x} GLOB {NOT_PRINTABLE_ASCII})",
                        sql_operator(op)
                    ),
                    vec![path(), lowered.into(), path()],
                    false,
                ),
            }
        }
        (AttrType::Boolean, CompValue::Bool(flag)) => {
            let literal = if *flag { "'true'" } else { "'false'" };
            let test = format!("coalesce(json_type({doc}, ?), '')");
            match op {
                CompareOp::Eq => Part::new(format!("{test} = {literal}"), vec![path()], true),
                CompareOp::Ne => Part::new(format!("{test} <> {literal}"), vec![path()], false),
                _ => Part::any(),
            }
        }
        _ => Part::any(),
    }
}

/// `inner`, a value filter over the sub-attributes of a multi-valued complex
/// attribute at `array` in the body, as "some element matches". Always a
/// superset: the elements' `caseExact` and absent-value rules are left to
/// the caller.
fn each(array: String, attribute: &Attribute, inner: &Filter) -> Part {
    let part = element_filter(inner, &|path: &AttrPath| {
        if path.uri.is_some() || path.sub_attr.is_some() {
            return None;
        }
        let sub = attribute.sub_attribute(&path.name)?;
        Some(Target::Json(Json {
            doc: "e.value",
            path: format!("${}", json_key(&sub.name)),
            attribute: sub,
        }))
    });
    let mut params = vec![SqlValue::from(array)];
    let sql = match part.sql {
        Some(sql) => {
            params.extend(part.params);
            format!(
                "EXISTS (SELECT 1 FROM json_each(r.body, ?) e \
                 WHERE CASE WHEN e.type = 'object' THEN {sql} ELSE 0 END)"
            )
        }
        None => "EXISTS (SELECT 1 FROM json_each(r.body, ?) e)".to_owned(),
    };
    Part::new(sql, params, false)
}

/// `inner`, a value filter over `members` (`value`, `type`, `display`) or
/// `groups` (`value`, `display`), as "some membership matches".
fn membership(side: Side, inner: &Filter) -> Part {
    let part = element_filter(inner, &|path: &AttrPath| {
        if path.uri.is_some() || path.sub_attr.is_some() {
            return None;
        }
        let name = path.name.as_str();
        if name.eq_ignore_ascii_case("value") {
            // Ids of the SQLite store are lowercase ASCII, so the `id` column
            // already is the lowercased value (`value` is caseExact: false).
            Some(Target::Column(Column::Text {
                expr: "o.id",
                folded: true,
                always: true,
            }))
        } else if name.eq_ignore_ascii_case("type") && matches!(side, Side::Members) {
            Some(Target::Column(Column::Text {
                expr: "lower(o.type)",
                folded: true,
                always: true,
            }))
        } else if name.eq_ignore_ascii_case("display") {
            Some(Target::Json(Json {
                doc: "o.body",
                path: "$.displayName".to_owned(),
                attribute: &DISPLAY,
            }))
        } else {
            None
        }
    });
    let sql = match &part.sql {
        Some(sql) => format!("{} AND {sql})", side.exists()),
        None => format!("{})", side.exists()),
    };
    Part::new(sql, part.params, part.exact)
}

/// `display` of `members` and `groups`: the other side's `displayName`.
static DISPLAY: LazyLock<Attribute> =
    LazyLock::new(|| Attribute::new("display", AttrType::String, "A display name"));

enum Target<'a> {
    Column(Column),
    Json(Json<'a>),
}

/// A value filter's boolean structure over targets that `resolve` finds.
fn element_filter<'a>(filter: &Filter, resolve: &dyn Fn(&AttrPath) -> Option<Target<'a>>) -> Part {
    match filter {
        Filter::And(a, b) => element_filter(a, resolve).and(element_filter(b, resolve)),
        Filter::Or(a, b) => element_filter(a, resolve).or(element_filter(b, resolve)),
        Filter::Not(inner) => element_filter(inner, resolve).not(),
        Filter::Compare(path, op, value) => match resolve(path) {
            Some(Target::Column(column)) => compare_column(column, *op, value),
            Some(Target::Json(json)) => compare_json(&json, *op, value),
            None => Part::any(),
        },
        Filter::Present(path) => match resolve(path) {
            Some(Target::Json(Json { doc, path, .. })) => Part::new(
                format!("json_type({doc}, ?) IS NOT NULL"),
                vec![path.into()],
                false,
            ),
            _ => Part::any(),
        },
        Filter::ValuePath(..) => Part::any(),
    }
}

fn sub_path(name: &str) -> AttrPath {
    AttrPath {
        uri: None,
        name: name.to_owned(),
        sub_attr: None,
    }
}

/// A JSON path step for `key` (a name from the registry), quoted so that
/// URNs with `:` and `.` stay one key.
fn json_key(key: &str) -> String {
    let mut step = String::with_capacity(key.len() + 3);
    step.push_str(".\"");
    step.push_str(key);
    step.push('"');
    step
}

fn sql_operator(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => "GLOB",
    }
}

/// A `GLOB` pattern for `sw`/`co`/`ew` with `text` taken literally: `*`, `?`
/// and `[` are wrapped in brackets. `GLOB` is case-sensitive and, on a
/// `BINARY` column with a fixed prefix, can use the column's index.
fn glob(op: CompareOp, text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 4);
    if matches!(op, CompareOp::Co | CompareOp::Ew) {
        pattern.push('*');
    }
    for c in text.chars() {
        match c {
            '*' => pattern.push_str("[*]"),
            '?' => pattern.push_str("[?]"),
            '[' => pattern.push_str("[[]"),
            _ => pattern.push(c),
        }
    }
    if matches!(op, CompareOp::Co | CompareOp::Sw) {
        pattern.push('*');
    }
    pattern
}
