<?php

namespace Drupal\scim_provisioning;

use Drupal\Core\Config\ConfigFactoryInterface;
use Drupal\Core\Url;
use Drupal\scim_provisioning\Store\DrupalAccountStore;
use Scim\Server;

/**
 * Builds the extension's \Scim\Server for the site's settings.
 *
 * The server gets the SCIM base URL, the token digests, the discovery and
 * password settings, and the store that keeps resources as Drupal accounts.
 * A server over a store is not cached by the extension: one is built per
 * request, which costs no more than reading the options.
 */
class ScimServerFactory {

  /**
   * The config factory.
   *
   * @var \Drupal\Core\Config\ConfigFactoryInterface
   */
  protected ConfigFactoryInterface $configFactory;

  /**
   * The token repository.
   *
   * @var \Drupal\scim_provisioning\ScimTokenRepository
   */
  protected ScimTokenRepository $tokens;

  /**
   * The store.
   *
   * @var \Drupal\scim_provisioning\Store\DrupalAccountStore
   */
  protected DrupalAccountStore $store;

  /**
   * Constructs the factory.
   *
   * @param \Drupal\Core\Config\ConfigFactoryInterface $config_factory
   *   The config factory.
   * @param \Drupal\scim_provisioning\ScimTokenRepository $tokens
   *   The token repository.
   * @param \Drupal\scim_provisioning\Store\DrupalAccountStore $store
   *   The store.
   */
  public function __construct(ConfigFactoryInterface $config_factory, ScimTokenRepository $tokens, DrupalAccountStore $store) {
    $this->configFactory = $config_factory;
    $this->tokens = $tokens;
    $this->store = $store;
  }

  /**
   * Returns the options the server is built with.
   *
   * The bearer token was checked by the scim_bearer authentication provider
   * already. The extension has no option to trust that check, so it gets the
   * digests of every accepted token and checks again: the label it reports
   * is the same, and a request can never get past one check alone.
   *
   * @return array
   *   The options of \Scim\Server::__construct().
   */
  public function options(): array {
    $config = $this->configFactory->get('scim_provisioning.settings');
    $options = [
      'base_url' => Url::fromRoute('scim_provisioning.scim.root', [], ['absolute' => TRUE])->toString(TRUE)->getGeneratedUrl(),
      'public_discovery' => (bool) $config->get('public_discovery'),
      'keep_password' => (bool) $config->get('mapping.sync_password'),
    ];
    $digests = $this->tokens->digests();
    if ($digests) {
      $options['tokens'] = $digests;
    }
    return $options;
  }

  /**
   * Builds a server over the Drupal account store.
   *
   * @return \Scim\Server
   *   The server.
   *
   * @throws \Scim\Exception
   *   When an option is malformed.
   */
  public function create(): Server {
    return new Server($this->options(), $this->store);
  }

  /**
   * Returns the store the servers use.
   *
   * @return \Drupal\scim_provisioning\Store\DrupalAccountStore
   *   The store.
   */
  public function store(): DrupalAccountStore {
    return $this->store;
  }

}
