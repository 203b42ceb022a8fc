<?php

namespace Drupal\scim_provisioning\Controller;

use Drupal\Core\Datetime\DateFormatterInterface;
use Drupal\Core\DependencyInjection\ContainerInjectionInterface;
use Drupal\Core\Form\FormBuilderInterface;
use Drupal\Core\Pager\PagerManagerInterface;
use Drupal\Core\StringTranslation\StringTranslationTrait;
use Drupal\scim_provisioning\Form\ProvisioningLogFilterForm;
use Drupal\scim_provisioning\ProvisioningLog;
use Symfony\Component\DependencyInjection\ContainerInterface;
use Symfony\Component\HttpFoundation\Request;

/**
 * Shows the provisioning log to site builders.
 */
class ProvisioningLogController implements ContainerInjectionInterface {

  use StringTranslationTrait;

  /**
   * How many entries a page shows.
   */
  public const PER_PAGE = 50;

  /**
   * The provisioning log.
   *
   * @var \Drupal\scim_provisioning\ProvisioningLog
   */
  protected ProvisioningLog $log;

  /**
   * The pager manager.
   *
   * @var \Drupal\Core\Pager\PagerManagerInterface
   */
  protected PagerManagerInterface $pagerManager;

  /**
   * The date formatter.
   *
   * @var \Drupal\Core\Datetime\DateFormatterInterface
   */
  protected DateFormatterInterface $dateFormatter;

  /**
   * The form builder.
   *
   * @var \Drupal\Core\Form\FormBuilderInterface
   */
  protected FormBuilderInterface $formBuilder;

  /**
   * Constructs the log page controller.
   *
   * @param \Drupal\scim_provisioning\ProvisioningLog $log
   *   The provisioning log.
   * @param \Drupal\Core\Pager\PagerManagerInterface $pager_manager
   *   The pager manager.
   * @param \Drupal\Core\Datetime\DateFormatterInterface $date_formatter
   *   The date formatter.
   * @param \Drupal\Core\Form\FormBuilderInterface $form_builder
   *   The form builder.
   */
  public function __construct(ProvisioningLog $log, PagerManagerInterface $pager_manager, DateFormatterInterface $date_formatter, FormBuilderInterface $form_builder) {
    $this->log = $log;
    $this->pagerManager = $pager_manager;
    $this->dateFormatter = $date_formatter;
    $this->formBuilder = $form_builder;
  }

  /**
   * {@inheritdoc}
   */
  public static function create(ContainerInterface $container) {
    return new static(
      $container->get('scim_provisioning.log'),
      $container->get('pager.manager'),
      $container->get('date.formatter'),
      $container->get('form_builder')
    );
  }

  /**
   * Lists log entries, newest first, filtered by outcome and token.
   *
   * @param \Symfony\Component\HttpFoundation\Request $request
   *   The request; its query may hold "outcome" and "token".
   *
   * @return array
   *   A render array.
   */
  public function overview(Request $request): array {
    $filters = ProvisioningLogFilterForm::filtersFromQuery($request->query->all());
    $total = $this->log->count($filters);
    $pager = $this->pagerManager->createPager($total, self::PER_PAGE);
    $entries = $this->log->entries($filters, self::PER_PAGE, $pager->getCurrentPage() * self::PER_PAGE);

    $rows = [];
    foreach ($entries as $entry) {
      $resource = trim($entry->resource_type . ' ' . $entry->resource_id);
      $rows[] = [
        'data' => [
          $this->dateFormatter->format((int) $entry->created, 'short'),
          $entry->token !== '' ? $entry->token : $this->t('(no valid token)'),
          $entry->method,
          $entry->path,
          $resource,
          $entry->status,
          $entry->operation,
          $entry->detail ?? '',
        ],
        'class' => [(int) $entry->status >= 400 ? 'color-error' : 'color-success'],
      ];
    }

    return [
      'filters' => $this->formBuilder->getForm(ProvisioningLogFilterForm::class, $this->log->tokenLabels(), $filters),
      'table' => [
        '#type' => 'table',
        '#header' => [
          $this->t('Time'),
          $this->t('Token'),
          $this->t('Method'),
          $this->t('Path'),
          $this->t('Resource'),
          $this->t('Status'),
          $this->t('Operation'),
          $this->t('Detail'),
        ],
        '#rows' => $rows,
        '#empty' => $this->t('No SCIM request has been logged.'),
        '#attributes' => ['class' => ['scim-provisioning-log']],
      ],
      'pager' => ['#type' => 'pager'],
      '#cache' => ['max-age' => 0],
    ];
  }

}
