<?php

namespace Drupal\scim_provisioning\Authentication;

use Drupal\Core\Session\AccountInterface;
use Drupal\Core\Session\UserSession;

/**
 * The account a SCIM request runs as once its bearer token is verified.
 *
 * It is no user of the site: it has uid 0 and only the anonymous role, so it
 * holds no permission, opens no session and cannot be blocked, deleted or
 * changed by SCIM itself. What it may do is decided by the _scim_client
 * route requirement, which admits only this account, and by the module's
 * settings. It carries the label of the token it was authenticated with, so
 * that the provisioning log can say who made each request.
 *
 * @see \Drupal\scim_provisioning\Access\ScimClientAccessCheck
 */
class ScimClientAccount extends UserSession {

  /**
   * The label of the token the request was authenticated with.
   *
   * @var string
   */
  protected string $tokenLabel;

  /**
   * Constructs the account of a SCIM client.
   *
   * @param string $token_label
   *   The label of the token the request was authenticated with.
   */
  public function __construct(string $token_label) {
    parent::__construct([
      'uid' => 0,
      'name' => 'SCIM client (' . $token_label . ')',
      'roles' => [AccountInterface::ANONYMOUS_ROLE],
    ]);
    $this->tokenLabel = $token_label;
  }

  /**
   * Returns the label of the token the request was authenticated with.
   *
   * @return string
   *   The token label, for example "miniOrange".
   */
  public function getTokenLabel(): string {
    return $this->tokenLabel;
  }

}
