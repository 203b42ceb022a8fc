//! One function per endpoint and method (RFC 7644 §3.3 to §3.6, §4): each
//! reads the request, asks the core and the store, and shapes the response.

use super::query::parse_query;
use super::render;
use super::route::Route;
use super::{Event, Operation, Request, Response, Server};
use crate::filter::{self, Filter};
use crate::list::{ListResponse, Paging, Projection, Query as ListQuery, SearchRequest, Sort};
use crate::patch::{self, PatchRequest};
use crate::resource::{self, Mode};
use crate::schema::ResourceType;
use crate::store::{self, Kind, Store};
use crate::version::{check_preconditions, Precondition, Version};
use crate::{discovery, Result, ScimError};
use serde_json::Value;

/// Routes `request` to its handler.
pub(super) fn dispatch<S: Store>(
    server: &Server<S>,
    route: Route<'_>,
    request: &Request<'_>,
    event: &mut Event,
) -> Result<Response> {
    if route == Route::Unknown {
        return Err(ScimError::NotFound(format!(
            "no SCIM endpoint at \"{}\"",
            request.path
        )));
    }
    if !(route.is_discovery() && server.config.public_discovery) {
        let label = server
            .config
            .tokens
            .authenticate(request.header("Authorization"))?;
        event.token_label = Some(label.to_owned());
    }
    let method = request.method.to_ascii_uppercase();
    match route {
        Route::Me => {
            return Err(ScimError::NotImplemented(
                "the /Me endpoint is not supported".into(),
            ))
        }
        Route::Bulk => {
            return Err(ScimError::NotImplemented(
                "bulk operations are not supported; see /ServiceProviderConfig".into(),
            ))
        }
        _ => {}
    }
    if !route.allowed().contains(&method.as_str()) {
        return Err(ScimError::MethodNotAllowed(format!(
            "{method} is not supported on \"{}\"",
            request.path
        )));
    }
    let handler = Handler { server, request };
    match (route, method.as_str()) {
        (Route::ServiceProviderConfig | Route::Schemas(_) | Route::ResourceTypes(_), _) => {
            event.operation = Operation::Discovery;
            handler.discovery(route)
        }
        (Route::Collection(kind), "GET") => {
            event.operation = Operation::Search;
            event.kind = Some(kind);
            let search = SearchRequest::from_query(&parse_query(request.query)?)?;
            handler.search(&[kind], &search)
        }
        (Route::Search(kind), _) => {
            event.operation = Operation::Search;
            event.kind = Some(kind);
            let search = SearchRequest::from_json(&handler.body()?)?;
            handler.search(&[kind], &search)
        }
        (Route::RootSearch, _) => {
            event.operation = Operation::Search;
            let search = SearchRequest::from_json(&handler.body()?)?;
            handler.search(&[Kind::User, Kind::Group], &search)
        }
        (Route::Collection(kind), _) => {
            event.operation = Operation::Create;
            event.kind = Some(kind);
            handler.create(kind, event)
        }
        (Route::Resource(kind, id), method) => {
            event.kind = Some(kind);
            event.resource_id = Some(id.to_owned());
            match method {
                "GET" => {
                    event.operation = Operation::Read;
                    handler.read(kind, id)
                }
                "PUT" => {
                    event.operation = Operation::Replace;
                    handler.replace(kind, id)
                }
                "PATCH" => {
                    event.operation = Operation::Patch;
                    handler.patch(kind, id)
                }
                _ => {
                    event.operation = Operation::Delete;
                    handler.delete(kind, id)
                }
            }
        }
        _ => Err(ScimError::MethodNotAllowed(format!(
            "{method} is not supported on \"{}\"",
            request.path
        ))),
    }
}

struct Handler<'a, S> {
    server: &'a Server<S>,
    request: &'a Request<'a>,
}

impl<S: Store> Handler<'_, S> {
    fn rt(&self, kind: Kind) -> Result<&ResourceType> {
        self.server
            .registry
            .resource_type(kind.as_str())
            .ok_or_else(|| ScimError::Internal(format!("the registry has no {kind} resource type")))
    }

    fn base_url(&self) -> &str {
        &self.server.config.base_url
    }

    /// The body as a JSON object, within the configured limits. The media
    /// type is not enforced: RFC 7644 §3.1 has clients send
    /// `application/scim+json`, and Okta and miniOrange send
    /// `application/json`; a body that parses as JSON is taken either way.
    fn body(&self) -> Result<Value> {
        resource::parse_json(self.request.body, &self.server.config.limits)
    }

    fn query_pairs(&self) -> Result<Vec<(String, String)>> {
        parse_query(self.request.query)
    }

    /// The projection a single-resource response is subject to (RFC 7644 §3.9).
    fn projection(&self, rt: &ResourceType) -> Result<Projection> {
        let pairs = self.query_pairs()?;
        let find = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .filter(|v| !v.is_empty())
        };
        Projection::parse(
            find("attributes"),
            find("excludedAttributes"),
            &self.server.registry,
            rt,
        )
    }

    /// Whether the client asked for no attributes at all (`attributes=`), in
    /// which case a PATCH answers 204 (RFC 7644 §3.5.2).
    fn wants_no_body(&self) -> Result<bool> {
        Ok(self
            .query_pairs()?
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("attributes") && v.trim().is_empty()))
    }

    fn render(&self, kind: Kind, stored: store::Stored) -> Value {
        render::resource(self.base_url(), kind, stored)
    }

    /// A single resource response with `ETag`, projected.
    fn resource_response(
        &self,
        status: u16,
        kind: Kind,
        stored: store::Stored,
    ) -> Result<Response> {
        let rt = self.rt(kind)?;
        let etag = Version::from_counter(stored.version).etag();
        let id = stored.id().to_owned();
        let mut resource = self.render(kind, stored);
        self.projection(rt)?
            .apply_in_place(&mut resource, &self.server.registry, rt);
        let mut response = render::json(status, &resource);
        response.headers.push(("ETag".into(), etag));
        if status == 201 {
            let location = render::location(self.base_url(), kind, &id);
            response.headers.push(("Location".into(), location));
        }
        Ok(response)
    }

    fn discovery(&self, route: Route<'_>) -> Result<Response> {
        let pairs = self.query_pairs()?;
        if pairs.iter().any(|(n, _)| n.eq_ignore_ascii_case("filter")) {
            // RFC 7644 §4: discovery endpoints do not filter.
            return Err(ScimError::Forbidden(
                "discovery endpoints do not take a filter".into(),
            ));
        }
        let registry = &self.server.registry;
        let base = self.base_url();
        let body = match route {
            Route::ServiceProviderConfig => {
                discovery::service_provider_config(&self.server.config.features, base)
            }
            Route::Schemas(None) => discovery::schemas_list(registry, base),
            Route::Schemas(Some(id)) => discovery::schema(registry, id, base)?,
            Route::ResourceTypes(None) => discovery::resource_types_list(registry, base),
            Route::ResourceTypes(Some(id)) => discovery::resource_type(registry, id, base)?,
            _ => return Err(ScimError::Internal("not a discovery route".into())),
        };
        Ok(render::json(200, &body))
    }

    /// A list query over one or more resource types (RFC 7644 §3.4.2, §3.4.3).
    ///
    /// The store gets the filter and the page; when it answers exactly, its
    /// page is the answer. Otherwise it returns candidates, which are
    /// filtered here with the core's evaluator, then sorted and paged.
    fn search(&self, kinds: &[Kind], search: &SearchRequest) -> Result<Response> {
        let registry = &self.server.registry;
        let max = self.server.config.max_page_size;
        let filter = search.filter.as_deref().map(filter::parse).transpose()?;
        let paging = Paging::new(search.start_index, search.count, max);

        if let [kind] = kinds {
            let kind = *kind;
            let rt = self.rt(kind)?;
            if let Some(filter) = &filter {
                filter::check(filter, registry, rt)?;
            }
            let query = ListQuery::from_request(search, registry, rt, max)?;
            let memberships = !excludes(search, kind);
            if query.sort.is_none() {
                let page = self.server.store.query(
                    kind,
                    &store::Query {
                        filter: filter.as_ref(),
                        sort_by: None,
                        descending: false,
                        start_index: paging.start_index as u64,
                        count: Some(paging.count as u64),
                        memberships,
                    },
                )?;
                if page.exact {
                    let resources = page
                        .resources
                        .into_iter()
                        .map(|stored| {
                            let mut r = self.render(kind, stored);
                            query.projection.apply_in_place(&mut r, registry, rt);
                            r
                        })
                        .collect();
                    let total = usize::try_from(page.total).unwrap_or(usize::MAX);
                    let body = ListResponse::new(total, paging.start_index, resources).to_json();
                    return Ok(render::json(200, &body));
                }
                let matched = self.candidates(kind, rt, filter.as_ref(), page.resources);
                return Ok(render::json(200, &query.respond(matched, registry, rt)));
            }
            let matched = self.all_matches(kind, rt, filter.as_ref(), memberships)?;
            return Ok(render::json(200, &query.respond(matched, registry, rt)));
        }

        // The root endpoint: every type. An attribute one type lacks simply
        // matches nothing there (`userName eq "x" or displayName eq "y"`
        // finds users and groups); a filter no type understands is an error.
        if let Some(filter) = &filter {
            let mut first_error = None;
            for &kind in kinds {
                match filter::check(filter, registry, self.rt(kind)?) {
                    Ok(()) => {
                        first_error = None;
                        break;
                    }
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            if let Some(error) = first_error {
                return Err(error);
            }
        }
        let mut matched: Vec<(Kind, Value)> = Vec::new();
        let mut projections = Vec::new();
        for &kind in kinds {
            let rt = self.rt(kind)?;
            projections.push((kind, ListQuery::from_request(search, registry, rt, max)?));
            let found = self.all_matches(kind, rt, filter.as_ref(), !excludes(search, kind))?;
            matched.extend(found.into_iter().map(|r| (kind, r)));
        }
        if let Some(sort_by) = &search.sort_by {
            let user = self.rt(Kind::User)?;
            let sort = Sort::new(sort_by, search.sort_order, registry, user)?;
            matched.sort_by(|a, b| sort.compare(&a.1, &b.1));
        }
        let total = matched.len();
        let window = paging.window(total);
        let mut resources = Vec::with_capacity(window.len());
        for (kind, mut resource) in matched.into_iter().skip(window.start).take(window.len()) {
            let rt = self.rt(kind)?;
            if let Some((_, q)) = projections.iter().find(|(k, _)| *k == kind) {
                q.projection.apply_in_place(&mut resource, registry, rt);
            }
            resources.push(resource);
        }
        let body = ListResponse::new(total, paging.start_index, resources).to_json();
        Ok(render::json(200, &body))
    }

    /// Every resource of `kind` that matches `filter`, rendered, unprojected.
    fn all_matches(
        &self,
        kind: Kind,
        rt: &ResourceType,
        filter: Option<&Filter>,
        memberships: bool,
    ) -> Result<Vec<Value>> {
        let page = self.server.store.query(
            kind,
            &store::Query {
                filter,
                memberships,
                ..store::Query::default()
            },
        )?;
        if page.exact {
            Ok(page
                .resources
                .into_iter()
                .map(|s| self.render(kind, s))
                .collect())
        } else {
            Ok(self.candidates(kind, rt, filter, page.resources))
        }
    }

    fn candidates(
        &self,
        kind: Kind,
        rt: &ResourceType,
        filter: Option<&Filter>,
        resources: Vec<store::Stored>,
    ) -> Vec<Value> {
        let registry = &self.server.registry;
        resources
            .into_iter()
            .map(|stored| self.render(kind, stored))
            .filter(|r| filter.is_none_or(|f| filter::matches(f, r, registry, rt)))
            .collect()
    }

    fn create(&self, kind: Kind, event: &mut Event) -> Result<Response> {
        let body = resource::parse_node(self.request.body, &self.server.config.limits)?;
        let valid = self.server.prepare_create(kind, body)?;
        let stored = self.server.store.create(kind, valid)?;
        event.resource_id = Some(stored.id().to_owned());
        self.resource_response(201, kind, stored)
    }

    fn read(&self, kind: Kind, id: &str) -> Result<Response> {
        let stored = self.server.store.get(kind, id)?;
        let etag = Version::from_counter(stored.version).etag();
        let precondition = check_preconditions(
            self.request.header("If-Match"),
            self.request.header("If-None-Match"),
            &etag,
        )?;
        if precondition == Precondition::NotModified {
            let mut response = render::empty(304);
            response.headers.push(("ETag".into(), etag));
            return Ok(response);
        }
        self.resource_response(200, kind, stored)
    }

    /// The version a write must find, from `If-Match` / `If-None-Match`
    /// (RFC 7644 §3.14): `None` when the client set no precondition.
    fn expected_version(&self, kind: Kind, id: &str) -> Result<Option<u64>> {
        let if_match = self.request.header("If-Match");
        let if_none_match = self.request.header("If-None-Match");
        if if_match.is_none() && if_none_match.is_none() {
            return Ok(None);
        }
        let current = self.server.store.get(kind, id)?;
        let etag = Version::from_counter(current.version).etag();
        check_preconditions(if_match, if_none_match, &etag)?.for_write()?;
        Ok(Some(current.version))
    }

    fn replace(&self, kind: Kind, id: &str) -> Result<Response> {
        let rt = self.rt(kind)?;
        let body = self.body()?;
        let expected = self.expected_version(kind, id)?;
        let registry = &self.server.registry;
        let options = &self.server.config.validation;
        let stored = self
            .server
            .store
            .update(kind, id, expected, &mut |existing| {
                let valid = resource::validate_with(
                    registry,
                    rt,
                    &body,
                    Mode::Replace { existing },
                    options,
                )?;
                Ok(self.server.guard_password(valid))
            })?;
        self.resource_response(200, kind, stored)
    }

    fn patch(&self, kind: Kind, id: &str) -> Result<Response> {
        let rt = self.rt(kind)?;
        let request = PatchRequest::from_json(&self.body()?)?;
        let expected = self.expected_version(kind, id)?;
        let registry = &self.server.registry;
        let options = &self.server.config.validation;
        let stored = self
            .server
            .store
            .update(kind, id, expected, &mut |existing| {
                let patched = patch::apply(registry, rt, existing, &request)?;
                let valid = resource::validate_with(
                    registry,
                    rt,
                    patched.resource,
                    Mode::Patched { existing },
                    options,
                )?;
                Ok(self.server.guard_password(valid))
            })?;
        if self.wants_no_body()? {
            let mut response = render::empty(204);
            response
                .headers
                .push(("ETag".into(), Version::from_counter(stored.version).etag()));
            return Ok(response);
        }
        self.resource_response(200, kind, stored)
    }

    fn delete(&self, kind: Kind, id: &str) -> Result<Response> {
        let expected = self.expected_version(kind, id)?;
        self.server.store.delete(kind, id, expected)?;
        Ok(render::empty(204))
    }
}

/// Whether the client excluded the membership attribute of `kind`
/// (`excludedAttributes=members`, as Entra ID reads groups), so the store
/// may skip loading it.
fn excludes(search: &SearchRequest, kind: Kind) -> bool {
    let name = match kind {
        Kind::User => "groups",
        Kind::Group => "members",
    };
    search
        .excluded_attributes
        .iter()
        .any(|a| a.trim().eq_ignore_ascii_case(name))
        && search.filter.is_none()
}
