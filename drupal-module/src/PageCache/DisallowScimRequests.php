<?php

namespace Drupal\scim_provisioning\PageCache;

use Drupal\Core\PageCache\RequestPolicyInterface;
use Drupal\scim_provisioning\Http\ScimPath;
use Drupal\scim_provisioning\Token\BearerToken;
use Symfony\Component\HttpFoundation\Request;

/**
 * Keeps SCIM requests out of the page cache.
 *
 * A SCIM client runs as uid 0, which the page cache would take for an
 * anonymous visitor: a response for one token could be served to a request
 * without any. Requests carrying a bearer token and every request below
 * /scim/v2 are therefore neither served from nor stored in the page cache.
 */
class DisallowScimRequests implements RequestPolicyInterface {

  /**
   * {@inheritdoc}
   */
  public function check(Request $request) {
    if (ScimPath::isScimPath($request->getPathInfo())) {
      return self::DENY;
    }
    if (BearerToken::isBearerHeader($request->headers->get('Authorization'))) {
      return self::DENY;
    }
    return NULL;
  }

}
