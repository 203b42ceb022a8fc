<?php

namespace Drupal\scim_provisioning\Form;

use Drupal\Core\Form\FormBase;
use Drupal\Core\Form\FormStateInterface;
use Drupal\Core\Url;

/**
 * Filters the provisioning log by outcome and token.
 *
 * The filters live in the page's query string, so a filtered view can be
 * bookmarked and shared.
 */
class ProvisioningLogFilterForm extends FormBase {

  /**
   * {@inheritdoc}
   */
  public function getFormId() {
    return 'scim_provisioning_log_filter';
  }

  /**
   * Reads the filters from a query string.
   *
   * @param array $query
   *   The query parameters.
   *
   * @return array
   *   Filters for \Drupal\scim_provisioning\ProvisioningLog::entries():
   *   "outcome" when it is "success" or "failure", "token" when given.
   */
  public static function filtersFromQuery(array $query): array {
    $filters = [];
    if (in_array($query['outcome'] ?? NULL, ['success', 'failure'], TRUE)) {
      $filters['outcome'] = $query['outcome'];
    }
    if (isset($query['token']) && is_string($query['token'])) {
      // "_none" stands for requests without a valid token.
      $filters['token'] = $query['token'] === '_none' ? '' : $query['token'];
    }
    return $filters;
  }

  /**
   * {@inheritdoc}
   *
   * @param array $form
   *   The form.
   * @param \Drupal\Core\Form\FormStateInterface $form_state
   *   The form state.
   * @param string[] $labels
   *   The token labels found in the log.
   * @param array $filters
   *   The filters in force.
   */
  public function buildForm(array $form, FormStateInterface $form_state, array $labels = [], array $filters = []) {
    $form['filters'] = [
      '#type' => 'container',
      '#attributes' => ['class' => ['form--inline', 'clearfix']],
    ];
    $form['filters']['outcome'] = [
      '#type' => 'select',
      '#title' => $this->t('Outcome'),
      '#options' => [
        '' => $this->t('- Any -'),
        'success' => $this->t('Succeeded'),
        'failure' => $this->t('Failed'),
      ],
      '#default_value' => $filters['outcome'] ?? '',
    ];
    $tokens = ['' => $this->t('- Any -')];
    foreach ($labels as $label) {
      $tokens[$label === '' ? '_none' : $label] = $label === '' ? $this->t('(no valid token)') : $label;
    }
    $token = $filters['token'] ?? NULL;
    $form['filters']['token'] = [
      '#type' => 'select',
      '#title' => $this->t('Token'),
      '#options' => $tokens,
      '#default_value' => $token === NULL ? '' : ($token === '' ? '_none' : $token),
    ];
    $form['filters']['actions'] = ['#type' => 'actions'];
    $form['filters']['actions']['submit'] = [
      '#type' => 'submit',
      '#value' => $this->t('Filter'),
    ];
    return $form;
  }

  /**
   * {@inheritdoc}
   */
  public function submitForm(array &$form, FormStateInterface $form_state) {
    $query = array_filter([
      'outcome' => $form_state->getValue('outcome'),
      'token' => $form_state->getValue('token'),
    ], static fn($value): bool => is_string($value) && $value !== '');
    $form_state->setRedirectUrl(Url::fromRoute('scim_provisioning.log', [], ['query' => $query]));
  }

}
