<?php

namespace Drupal\scim_provisioning\Controller;

use Drupal\Core\DependencyInjection\ContainerInjectionInterface;
use Symfony\Component\DependencyInjection\ContainerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Exception\HttpException;
use Symfony\Component\HttpKernel\Exception\ServiceUnavailableHttpException;

/**
 * Receives every request to the SCIM routes.
 *
 * Requests arrive here only once the _scim_client access check has admitted
 * them. They are meant for the scim PHP extension's request handler, which
 * the module does not call yet; until it does, every request ends in a SCIM
 * error document rendered by the exception subscriber.
 *
 * @see \Drupal\scim_provisioning\EventSubscriber\ScimExceptionSubscriber
 */
class ScimController implements ContainerInjectionInterface {

  /**
   * {@inheritdoc}
   */
  public static function create(ContainerInterface $container) {
    return new static();
  }

  /**
   * Handles a SCIM request.
   *
   * @param \Symfony\Component\HttpFoundation\Request $request
   *   The request.
   *
   * @throws \Symfony\Component\HttpKernel\Exception\HttpExceptionInterface
   *   Always, for now: 503 when the scim extension is not loaded, 501 when it
   *   is.
   */
  public function handle(Request $request): Response {
    if (!extension_loaded('scim')) {
      throw new ServiceUnavailableHttpException(NULL, 'the scim PHP extension is not loaded on this site');
    }
    // @todo Hand the request to the extension's \Scim\Server once its PHP API
    //   exists, with a store that saves accounts through the entity API.
    throw new HttpException(501, 'the SCIM request handler is not connected yet');
  }

}
