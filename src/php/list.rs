//! `Scim\Query`: a list or search request (RFC 7644 §3.4.2, §3.4.3) read and
//! resolved against a resource type, which filters, sorts, pages and
//! projects resources into a `ListResponse`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::Value;

use super::convert::{json_to_array, object_to_json};
use super::exception::guard;
use super::filter::PhpFilter;
use super::resource::resource_type;
use crate::filter::{self, Filter};
use crate::list::{self, ListResponse, SearchRequest, SortOrder, DEFAULT_MAX_PAGE_SIZE};
use crate::schema::{Registry, ResourceType};
use crate::{Result, ScimError};

/// `Scim\Query`.
#[php_class]
#[php(name = "Scim\\Query")]
#[php(flags = ClassFlags::Final)]
pub struct Query {
    rt: &'static ResourceType,
    request: list::Query,
    filter: Option<Filter>,
    sort_by: Option<String>,
    sort_order: SortOrder,
}

impl Query {
    fn resolve(request: &SearchRequest, type_name: &str, maxPageSize: i64) -> Result<Self> {
        let rt = resource_type(type_name)?;
        let maxPageSize = usize::try_from(maxPageSize)
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| {
                ScimError::invalid_value(format!("maximum page size {maxPageSize} is not positive"))
            })?;
        let registry = Registry::shared();
        let query = list::Query::from_request(request, registry, rt, maxPageSize)?;
        let filter = match &request.filter {
            Some(text) => {
                let parsed = filter::parse(text)?;
                filter::check(&parsed, registry, rt)?;
                Some(parsed)
            }
            None => None,
        };
        Ok(Self {
            rt,
            request: query,
            filter,
            sort_by: request.sort_by.clone(),
            sort_order: request.sort_order,
        })
    }
}

/// The resources of a PHP list, as JSON.
fn values(resources: &ZendHashTable) -> Result<Vec<Value>> {
    let mut out = Vec::with_capacity(resources.len());
    for zv in resources.values() {
        out.push(super::convert::zval_to_json(zv)?);
    }
    Ok(out)
}

/// The name and value pairs of a query-parameter array, as `$_GET` gives
/// it: a value may be a string, a number, or a list of them (a repeated
/// parameter).
fn pairs(params: &ZendHashTable) -> Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(params.len());
    let mut iter = Iter::new(params);
    while let Some((key, value)) = iter.next_zval() {
        let name = key
            .long()
            .map(|i| i.to_string())
            .or_else(|| key.str().map(str::to_owned))
            .unwrap_or_default();
        match value.array() {
            Some(list) => {
                for item in list.values() {
                    out.push((name.clone(), scalar(&name, item)?));
                }
            }
            None => out.push((name.clone(), scalar(&name, value)?)),
        }
    }
    Ok(out)
}

fn scalar(name: &str, value: &Zval) -> Result<String> {
    if let Some(s) = value.str() {
        Ok(s.to_owned())
    } else if let Some(n) = value.long() {
        Ok(n.to_string())
    } else if value.is_null() {
        Ok(String::new())
    } else {
        Err(ScimError::invalid_value(format!(
            "query parameter \"{name}\" must be a string"
        )))
    }
}

#[php_impl]
impl Query {
    #[php(vis = "private")]
    pub fn __construct() -> PhpResult<Self> {
        guard(|| Self::resolve(&SearchRequest::default(), "User", 1))
    }

    /// Reads the query parameters of `GET /Users` or `GET /Groups` (RFC 7644
    /// §3.4.2), as `$_GET` or Symfony's `$request->query->all()` give them,
    /// for resources of `type`. `count` is lowered to `maxPageSize`.
    #[php(defaults(r#type = "\"User\"", maxPageSize = 200))]
    pub fn from_query(params: &ZendHashTable, r#type: &str, maxPageSize: i64) -> PhpResult<Self> {
        guard(|| {
            Self::resolve(
                &SearchRequest::from_query(&pairs(params)?)?,
                r#type,
                maxPageSize,
            )
        })
    }

    /// Reads the body of `POST /.search` (RFC 7644 §3.4.3), for resources of
    /// `type`.
    #[php(defaults(r#type = "\"User\"", maxPageSize = 200))]
    pub fn from_search_request(
        body: &ZendHashTable,
        r#type: &str,
        maxPageSize: i64,
    ) -> PhpResult<Self> {
        guard(|| {
            let request = SearchRequest::from_json(&object_to_json(body)?)?;
            Self::resolve(&request, r#type, maxPageSize)
        })
    }

    /// The resource type's name, such as `User`.
    pub fn get_type(&self) -> PhpResult<String> {
        guard(|| Ok(self.rt.name.clone()))
    }

    /// The filter, parsed and checked against the resource type, or null.
    pub fn get_filter(&self) -> PhpResult<Option<PhpFilter>> {
        guard(|| Ok(self.filter.clone().map(|filter| PhpFilter { filter })))
    }

    /// The 1-based index of the first resource of the page.
    pub fn get_start_index(&self) -> PhpResult<i64> {
        guard(|| Ok(i64::try_from(self.request.paging.start_index).unwrap_or(i64::MAX)))
    }

    /// How many resources the page holds at most, after the server's limit.
    pub fn get_count(&self) -> PhpResult<i64> {
        guard(|| Ok(i64::try_from(self.request.paging.count).unwrap_or(i64::MAX)))
    }

    /// The `sortBy` attribute as sent, or null.
    pub fn get_sort_by(&self) -> PhpResult<Option<String>> {
        guard(|| Ok(self.sort_by.clone()))
    }

    /// `ascending` or `descending`.
    pub fn get_sort_order(&self) -> PhpResult<&'static str> {
        guard(|| {
            Ok(match self.sort_order {
                SortOrder::Ascending => "ascending",
                SortOrder::Descending => "descending",
            })
        })
    }

    /// Whether `resource`, a canonical resource, matches the filter; true
    /// when there is none.
    pub fn matches(&self, resource: &ZendHashTable) -> PhpResult<bool> {
        guard(|| match &self.filter {
            Some(filter) => {
                let resource = object_to_json(resource)?;
                Ok(filter::matches(
                    filter,
                    &resource,
                    Registry::shared(),
                    self.rt,
                ))
            }
            None => Ok(true),
        })
    }

    /// `resource` with only the attributes `attributes` and
    /// `excludedAttributes` let through (RFC 7644 §3.4.2.5); also what a
    /// `GET /Users/{id}?attributes=...` returns.
    pub fn project(&self, resource: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut resource = object_to_json(resource)?;
            self.request
                .projection
                .apply_in_place(&mut resource, Registry::shared(), self.rt);
            Ok(json_to_array(&resource))
        })
    }

    /// The `ListResponse` for `matched`, every resource the filter selected:
    /// sorted by `sortBy`, cut to the requested page and projected.
    pub fn respond(&self, matched: &ZendHashTable) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let matched = values(matched)?;
            Ok(json_to_array(&self.request.respond(
                matched,
                Registry::shared(),
                self.rt,
            )))
        })
    }

    /// The `ListResponse` for `page`, a page the caller already sorted and
    /// cut (starting at `getStartIndex()`, at most `getCount()` long), out of
    /// `totalResults` matches: each resource is projected.
    pub fn respond_page(
        &self,
        page: &ZendHashTable,
        totalResults: i64,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut resources = values(page)?;
            for resource in &mut resources {
                self.request
                    .projection
                    .apply_in_place(resource, Registry::shared(), self.rt);
            }
            let total = usize::try_from(totalResults)
                .unwrap_or(0)
                .max(resources.len());
            let response = ListResponse::new(total, self.request.paging.start_index, resources);
            Ok(json_to_array(&response.to_json()))
        })
    }
}

/// The default page size limit, for the stub's default values.
const _: () = assert!(DEFAULT_MAX_PAGE_SIZE == 200);
