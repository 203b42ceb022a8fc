<?php

namespace Drupal\scim_provisioning\Access;

use Drupal\Core\Access\AccessResult;
use Drupal\Core\Access\AccessResultInterface;
use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Routing\Access\AccessInterface;
use Drupal\Core\Session\AccountInterface;
use Drupal\Core\Session\AccountProxyInterface;
use Drupal\scim_provisioning\Authentication\ScimClientAccount;
use Drupal\scim_provisioning\Http\ScimPath;
use Symfony\Component\HttpFoundation\Request;

/**
 * Admits SCIM clients to the SCIM routes (the _scim_client requirement).
 *
 * Access is granted to requests the scim_bearer provider authenticated, and,
 * when public discovery is on, to GET requests for the discovery endpoints
 * (RFC 7644 section 4). No permission grants it: a logged-in administrator
 * has no access either, so that the SCIM routes answer only to tokens.
 */
class ScimClientAccessCheck implements AccessInterface {

  /**
   * The config factory.
   *
   * @var \Drupal\Core\Config\ConfigFactoryInterface
   */
  protected ConfigFactoryInterface $configFactory;

  /**
   * Constructs the access check.
   *
   * @param \Drupal\Core\Config\ConfigFactoryInterface $config_factory
   *   The config factory.
   */
  public function __construct(ConfigFactoryInterface $config_factory) {
    $this->configFactory = $config_factory;
  }

  /**
   * Checks whether the request comes from a SCIM client.
   *
   * @param \Symfony\Component\HttpFoundation\Request $request
   *   The request.
   * @param \Drupal\Core\Session\AccountInterface $account
   *   The account the request runs as.
   *
   * @return \Drupal\Core\Access\AccessResultInterface
   *   Allowed for SCIM clients; never cacheable.
   */
  public function access(Request $request, AccountInterface $account): AccessResultInterface {
    $inner = $account instanceof AccountProxyInterface ? $account->getAccount() : $account;
    if ($inner instanceof ScimClientAccount) {
      return AccessResult::allowed()->setCacheMaxAge(0);
    }

    $config = $this->configFactory->get('scim_provisioning.settings');
    $discovery = $request->isMethodCacheable()
      && ScimPath::isDiscovery($request->attributes->get('resource_type'))
      && $config->get('public_discovery');
    if ($discovery) {
      return AccessResult::allowed()->addCacheableDependency($config)->setCacheMaxAge(0);
    }
    return AccessResult::neutral('a valid bearer token is required')->setCacheMaxAge(0);
  }

}
